/**
 * BPF instructions, as the ISA (RFC 9669) encodes them. Depends on nothing but the JDK.
 *
 * <ul>
 *   <li>the opcode's bit fields, one type each: {@link io.github.bpfevents.asm.InsnClass},
 *       {@link io.github.bpfevents.asm.Size}, {@link io.github.bpfevents.asm.Mode},
 *       {@link io.github.bpfevents.asm.Source}, {@link io.github.bpfevents.asm.AluOp},
 *       {@link io.github.bpfevents.asm.JumpOp}, {@link io.github.bpfevents.asm.AtomicOp};
 *       {@link io.github.bpfevents.asm.Opcode} composes them;
 *   <li>{@link io.github.bpfevents.asm.Register} and the instruction value
 *       {@link io.github.bpfevents.asm.Insn};
 *   <li>building: {@link io.github.bpfevents.asm.Store}; bytes:
 *       {@link io.github.bpfevents.asm.InsnEncoder}; text, exactly as LLVM's disassembler
 *       prints it: {@link io.github.bpfevents.asm.AsmPrinter}.
 * </ul>
 */
package io.github.bpfevents.asm;
