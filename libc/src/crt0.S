/*
 * libc/src/crt0.S - _start, the entry point of every program.
 * The kernel enters with rsp pointing at argc (System V ABI, figure 3.9):
 *
 *   rsp -> argc | argv[0..argc-1] | NULL | envp[..] | NULL | auxv pairs | AT_NULL
 *
 * We clear rbp (ends the frame chain for debuggers), pass that pointer to
 * __libc_start (C, start.c) and align the stack to 16 bytes as the ABI
 * requires at a call. __libc_start never returns.
 */
    .text
    .globl _start
    .type _start, @function
_start:
    xor %ebp, %ebp
    mov %rsp, %rdi
    and $-16, %rsp
    call __libc_start
    hlt
    .size _start, . - _start

    .section .note.GNU-stack, "", @progbits
