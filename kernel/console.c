/*
 * kernel/console.c - the serial console (COM1, 16550 UART, polled).
 * All kernel and program output goes here; QEMU connects it to stdio.
 */
#include "kernel.h"
#include "x86.h"

#define COM1 0x3f8

static char last_char = '\n';   /* the last byte sent */

/* Sets up COM1 at 115200 8N1 with FIFOs on; no interrupts. */
void cons_init(void)
{
    outb(COM1 + 1, 0x00);   /* no interrupts */
    outb(COM1 + 3, 0x80);   /* DLAB on */
    outb(COM1 + 0, 0x01);   /* divisor 1: 115200 baud */
    outb(COM1 + 1, 0x00);
    outb(COM1 + 3, 0x03);   /* 8N1, DLAB off */
    outb(COM1 + 2, 0xc7);   /* FIFO on, cleared */
    outb(COM1 + 4, 0x03);   /* DTR, RTS */
}

/* Bytes the transmit FIFO can still take without asking the UART. */
static int fifo_room;

static void cons_putc(char c)
{
    /* THRE set means the 16-byte transmit FIFO is empty: then 16 bytes go
     * in without polling again (each poll is an emulated port read). The
     * wait is bounded so a missing UART cannot hang the kernel. */
    if (fifo_room == 0) {
        for (int i = 0; i < 100000 && !(inb(COM1 + 5) & 0x20); i++)
            ;
        fifo_room = 16;
    }
    outb(COM1, (uint8_t)c);
    fifo_room--;
}

/* True if the next byte starts a line. */
bool cons_at_line_start(void)
{
    return last_char == '\n';
}

/* Writes n bytes; '\n' goes out as "\r\n". */
void cons_write(const char *s, size_t n)
{
    if (n)
        last_char = s[n - 1];
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\n')
            cons_putc('\r');
        cons_putc(s[i]);
    }
}
