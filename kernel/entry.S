/*
 * kernel/entry.S - every way into and out of the kernel after boot: the
 * trap/interrupt stubs (vectors 0-47) and their common path to trap(), the
 * `syscall` entry and `sysret` exit, the drop to ring 3, and kctx_save /
 * kctx_resume (a kernel setjmp/longjmp used to abandon a killed program).
 * Frame layouts: see trap.h.
 */

/* ---- traps ---------------------------------------------------------------- */
/* Vectors where the CPU pushes an error code: 8, 10-14, 17, 21, 29, 30. */
.macro VEC n
    .align 16
vec\n:
    .if (\n == 8) || (\n >= 10 && \n <= 14) || (\n == 17) || (\n == 21) || (\n == 29) || (\n == 30)
    .else
    pushq $0
    .endif
    pushq $\n
    jmp trap_common
.endm

    .text
    .globl trap_vectors
    .align 16
vectors_start:
.altmacro
.set i, 0
.rept 48
    VEC %i
    .set i, i + 1
.endr

trap_common:
    push %rax
    push %rbx
    push %rcx
    push %rdx
    push %rsi
    push %rdi
    push %rbp
    push %r8
    push %r9
    push %r10
    push %r11
    push %r12
    push %r13
    push %r14
    push %r15
    cld
    mov %rsp, %rdi
    call trap
    pop %r15
    pop %r14
    pop %r13
    pop %r12
    pop %r11
    pop %r10
    pop %r9
    pop %r8
    pop %rbp
    pop %rdi
    pop %rsi
    pop %rdx
    pop %rcx
    pop %rbx
    pop %rax
    add $16, %rsp
    iretq

/* Table of the 48 stub addresses, read by trap_init. */
    .section .rodata
    .align 8
trap_vectors:
.set i, 0
.rept 48
    .quad vectors_start + i * 16
    .set i, i + 1
.endr

/* ---- system calls ----------------------------------------------------------- */
/*
 * syscall: rcx = user rip, r11 = user rflags, IF/TF/DF/AC cleared by SFMASK,
 * still on the user stack. Only one CPU and one program: the user rsp goes
 * through a global slot while we switch to the kernel stack.
 */
    .text
    .globl syscall_entry
syscall_entry:
    mov %rsp, user_rsp_slot(%rip)
    lea kstack_top(%rip), %rsp
    pushq user_rsp_slot(%rip)
    push %r11
    push %rcx
    push %rax
    push %rdi
    push %rsi
    push %rdx
    push %r10
    push %r8
    push %r9
    mov %rsp, %rdi
    call syscall_dispatch
    pop %r9
    pop %r8
    pop %r10
    pop %rdx
    pop %rsi
    pop %rdi
    add $8, %rsp            /* nr: rax holds the result */
    pop %rcx
    pop %r11
    pop %rsp
    /* The Linux ABI clobbers only rax, rcx, r11: the callee-saved ones were
     * preserved by the C code; clear nothing else. rcx is the rip the CPU
     * saved (always canonical), so sysret cannot #GP in ring 0. */
    sysretq

/* ---- into ring 3 -------------------------------------------------------------- */
    .globl user_enter
user_enter:
    pushq $0x1b             /* ss: user data | 3 */
    push %rsi               /* rsp */
    pushq $0x202            /* rflags: IF (the PICs are masked) */
    pushq $0x23             /* cs: user code | 3 */
    push %rdi               /* rip */
    xor %eax, %eax
    xor %ebx, %ebx
    xor %ecx, %ecx
    xor %edx, %edx
    xor %esi, %esi
    xor %edi, %edi
    xor %ebp, %ebp
    xor %r8d, %r8d
    xor %r9d, %r9d
    xor %r10d, %r10d
    xor %r11d, %r11d
    xor %r12d, %r12d
    xor %r13d, %r13d
    xor %r14d, %r14d
    xor %r15d, %r15d
    iretq

/* ---- kernel contexts ------------------------------------------------------------ */
    .globl kctx_save
kctx_save:
    mov %rbx, 0(%rdi)
    mov %rbp, 8(%rdi)
    mov %r12, 16(%rdi)
    mov %r13, 24(%rdi)
    mov %r14, 32(%rdi)
    mov %r15, 40(%rdi)
    lea 8(%rsp), %rax       /* rsp after our return */
    mov %rax, 48(%rdi)
    mov (%rsp), %rax        /* return address */
    mov %rax, 56(%rdi)
    xor %eax, %eax
    ret

    .globl kctx_resume
kctx_resume:
    mov 0(%rdi), %rbx
    mov 8(%rdi), %rbp
    mov 16(%rdi), %r12
    mov 24(%rdi), %r13
    mov 32(%rdi), %r14
    mov 40(%rdi), %r15
    mov 48(%rdi), %rsp
    mov $1, %eax
    jmp *56(%rdi)

    .bss
    .align 8
user_rsp_slot:
    .quad 0

    .section .note.GNU-stack, "", @progbits
