/*
 * kernel/clock.c - a monotonic clock from the TSC, calibrated once against
 * the PIT (channel 0 counting down at 1.193182 MHz, read by latching; its
 * interrupt still masked). No PIT: assume 1 GHz. Afterwards the PIT ticks
 * at 100 Hz for the CPU-time limit (trap.c).
 */
#include "kernel.h"
#include "x86.h"

#define PIT_HZ 1193182ull
#define CALIBRATE_TICKS 11932       /* 10 ms */

static uint64_t tsc_hz = 1000000000ull;
static uint64_t tsc_boot;

static uint16_t pit_read(void)
{
    outb(0x43, 0x00);               /* latch channel 0 */
    uint8_t lo = inb(0x40);
    uint8_t hi = inb(0x40);
    return (uint16_t)(lo | hi << 8);
}

/* Counts TSC ticks over CALIBRATE_TICKS PIT ticks. */
void clock_init(void)
{
    outb(0x43, 0x34);               /* channel 0, lo/hi, mode 2, binary */
    outb(0x40, 0xff);
    outb(0x40, 0xff);
    uint16_t start = pit_read();
    uint64_t t0 = rdtsc();
    uint32_t elapsed = 0, spins = 0;
    uint16_t last = start;
    while (elapsed < CALIBRATE_TICKS) {
        uint16_t now = pit_read();
        if (now == last && ++spins > 1000000)
            break;                  /* the PIT does not count: keep 1 GHz */
        elapsed += (uint16_t)(last - now);
        last = now;
    }
    uint64_t t1 = rdtsc();
    if (elapsed >= CALIBRATE_TICKS)
        tsc_hz = (t1 - t0) * PIT_HZ / elapsed;
    tsc_boot = rdtsc();
    /* From now on: a tick every 10 ms (mode 2), IRQ 0, for the CPU limit. */
    outb(0x43, 0x34);
    outb(0x40, (uint8_t)(PIT_HZ / 100));
    outb(0x40, (uint8_t)((PIT_HZ / 100) >> 8));
}

/* Nanoseconds since clock_init (no 128-bit division: split the ticks). */
uint64_t clock_ns(void)
{
    uint64_t t = rdtsc() - tsc_boot;
    return t / tsc_hz * 1000000000ull + (t % tsc_hz) * 1000000000ull / tsc_hz;
}

/* TSC ticks per second, as calibrated. */
uint64_t clock_tsc_hz(void)
{
    return tsc_hz;
}
