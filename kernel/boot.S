/*
 * kernel/boot.S - from the Multiboot1 hand-off (32-bit protected mode,
 * paging off) to kmain in 64-bit long mode in the higher half.
 * Owns the Multiboot header, the boot page tables (which stay the kernel's
 * page tables: see memlayout.h) and the boot stack.
 */
#define KERNBASE 0xffffffff80000000
#define PHYS(sym) ((sym) - KERNBASE)

#define MB_MAGIC  0x1badb002
/* bit 0: modules page aligned; bit 1: memory map; bit 16: a.out kludge
 * (QEMU refuses 64-bit ELF images otherwise: the header addresses below
 * tell it what to load where). */
#define MB_FLAGS  0x00010003

/*
 * Boot page tables, all 4 KiB, in .boot.data (physical = virtual here):
 *
 *   pml4[0]   -> pdpt_low[0]      -> pd0   identity 0..1 GiB (only until kmain)
 *   pml4[256] -> pdpt_hhdm[0..3]  -> pd0..pd3  direct map 0..4 GiB
 *   pml4[511] -> pdpt_kern[510]   -> pd0   kernel image at KERNBASE
 *
 * pd0..pd3 hold 2048 2 MiB pages (P|W|PS) covering the first 4 GiB.
 */

    .section .multiboot, "a"
    .align 4
mb_header:
    .long MB_MAGIC
    .long MB_FLAGS
    .long -(MB_MAGIC + MB_FLAGS)
    .long mb_header                 /* header_addr (physical) */
    .long kernel_phys_start         /* load_addr */
    .long PHYS(kernel_data_end)     /* load_end_addr */
    .long PHYS(kernel_end)          /* bss_end_addr: QEMU zeroes the bss */
    .long mb_entry                  /* entry_addr */

    .section .boot.text, "ax"
    .code32
    .globl mb_entry
mb_entry:
    cli
    mov %eax, boot_magic
    mov %ebx, boot_info
    mov $boot_stack32_top, %esp

    /* Fill pd0..pd3: entry i maps 2 MiB page i. */
    mov $boot_pd, %edi
    xor %ecx, %ecx
1:  mov %ecx, %eax
    shl $21, %eax
    or $0x83, %eax
    mov %eax, (%edi,%ecx,8)
    movl $0, 4(%edi,%ecx,8)
    inc %ecx
    cmp $2048, %ecx
    jne 1b

    mov $boot_pml4, %eax
    mov %eax, %cr3
    mov %cr4, %eax
    or $((1 << 5) | (1 << 9) | (1 << 10)), %eax  /* PAE, OSFXSR, OSXMMEXCPT */
    mov %eax, %cr4

    /* EFER: LME | SCE, and NXE when the CPU has NX (CPUID 0x80000001 edx.20). */
    mov $0x80000001, %eax
    cpuid
    xor %esi, %esi
    bt $20, %edx
    jnc 2f
    mov $(1 << 11), %esi
2:  mov $0xc0000080, %ecx
    rdmsr
    or $((1 << 8) | (1 << 0)), %eax
    or %esi, %eax
    wrmsr

    /* CR0: PG | WP | NE | MP | PE, EM clear (user code may use SSE). */
    mov %cr0, %eax
    and $~(1 << 2), %eax
    or $0x80010023, %eax
    mov %eax, %cr0

    lgdt boot_gdtr
    ljmp $0x08, $entry64

    .code64
entry64:
    mov $0x10, %ax
    mov %ax, %ds
    mov %ax, %es
    mov %ax, %ss
    xor %ax, %ax
    mov %ax, %fs
    mov %ax, %gs
    movabs $higher_half, %rax
    jmp *%rax

    .section .boot.data, "aw"
    .align 4096
boot_pml4:
    .quad boot_pdpt_low + 3
    .fill 255, 8, 0
    .quad boot_pdpt_hhdm + 3
    .fill 254, 8, 0
    .quad boot_pdpt_kern + 3
boot_pdpt_low:
    .quad boot_pd + 3
    .fill 511, 8, 0
boot_pdpt_hhdm:
    .quad boot_pd + 3
    .quad boot_pd + 0x1000 + 3
    .quad boot_pd + 0x2000 + 3
    .quad boot_pd + 0x3000 + 3
    .fill 508, 8, 0
boot_pdpt_kern:
    .fill 510, 8, 0
    .quad boot_pd + 3
    .quad 0
boot_pd:
    .fill 2048, 8, 0
boot_stack32:
    .fill 1024, 1, 0
boot_stack32_top:

    .align 16
boot_gdt:
    .quad 0
    .quad 0x00af9a000000ffff        /* 0x08: 64-bit kernel code */
    .quad 0x00cf92000000ffff        /* 0x10: kernel data */
boot_gdtr:
    .word boot_gdtr - boot_gdt - 1
    .long boot_gdt

    .globl boot_magic, boot_info, boot_pml4
boot_magic:
    .long 0
boot_info:
    .long 0

/* ---- 64-bit, higher half ------------------------------------------------ */
    .text
higher_half:
    movabs $boot_stack_top, %rsp
    xor %ebp, %ebp
    mov boot_magic, %edi
    mov boot_info, %esi
    call kmain
3:  hlt
    jmp 3b

    .bss
    .align 16
    .globl kstack_top
boot_stack:
    .skip 32768
boot_stack_top:
/* The stack the CPU switches to for traps and syscalls from ring 3. */
kstack:
    .skip 32768
kstack_top:

    .section .note.GNU-stack, "", @progbits
