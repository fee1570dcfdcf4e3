/*
 * kernel/trap.h - the register frames built by entry.S (one for traps and
 * interrupts, one for system calls) and the saved kernel context that lets
 * the kernel abandon a program from anywhere and go on with the next one.
 */
#ifndef KERNEL_TRAP_H
#define KERNEL_TRAP_H

#include <stdint.h>

/*
 * What entry.S leaves on the stack for a trap, lowest address first:
 * the general registers it pushed, the vector and error code (0 when the
 * CPU pushes none), then the frame the CPU pushed.
 */
struct trapframe {
    uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
    uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
    uint64_t vector, error;
    uint64_t rip, cs, rflags, rsp, ss;
};

/*
 * What syscall_entry leaves on the kernel stack: the Linux syscall
 * arguments (rdi rsi rdx r10 r8 r9), the number (rax), then what sysret
 * needs: the user rip (rcx), rflags (r11) and rsp.
 */
struct syscall_frame {
    uint64_t r9, r8, r10, rdx, rsi, rdi, nr;
    uint64_t rip, rflags, rsp;
};

/* Callee-saved registers of a kernel context (kctx_save/kctx_resume). */
struct kctx {
    uint64_t rbx, rbp, r12, r13, r14, r15, rsp, rip;
};

/* Saves the caller's context; returns 0 now and 1 when resumed. */
int kctx_save(struct kctx *ctx) __attribute__((returns_twice));
/* Continues at the kctx_save that filled ctx, which then returns 1.
 * pre: the stack frame of that kctx_save's caller is still live. */
_Noreturn void kctx_resume(struct kctx *ctx);
/* Drops to ring 3 at rip with stack rsp, all other registers zero. */
_Noreturn void user_enter(uint64_t rip, uint64_t rsp);

/* Entry points called from entry.S. */
void trap(struct trapframe *tf);
uint64_t syscall_dispatch(struct syscall_frame *f);

#endif
