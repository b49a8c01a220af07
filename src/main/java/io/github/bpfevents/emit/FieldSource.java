package io.github.bpfevents.emit;

import io.github.bpfevents.Problem;
import io.github.bpfevents.asm.Register;
import java.util.List;

/**
 * Where the value of a field comes from.
 *
 * <pre>{@code
 * FieldSource.reg(Register.R7)                                   // a register of the program
 * FieldSource.imm(6)                                             // a constant
 * FieldSource.helper(HelperValue.KTIME_NS)                       // a helper's result
 * FieldSource.kernelRead(Register.R7, 16)                        // kernel memory at r7 + 16
 * FieldSource.kernelString(Register.R7, 0)                       // a NUL-terminated string there
 * FieldSource.path("task_struct", "real_parent", "tgid")         // from bpf_get_current_task()
 * FieldSource.pathFrom(Register.R7, "sock", "__sk_common", "skc_num")  // from a pointer in r7
 * }</pre>
 */
public sealed interface FieldSource {
  /**
   * The low bytes of a register, stored at the field's width.
   *
   * @param register a callee-saved register (r6 to r9), which survives the helper calls
   */
  record FromRegister(Register register) implements FieldSource {}

  /**
   * A constant, stored with {@code st} (see {@code EventStores.storeImm}).
   *
   * @param value the value
   */
  record Immediate(long value) implements FieldSource {}

  /**
   * A helper's result.
   *
   * @param value which
   */
  record FromHelper(HelperValue value) implements FieldSource {}

  /**
   * Kernel memory read with {@code bpf_probe_read_kernel} (the field's size) or
   * {@code bpf_probe_read_kernel_str} (at most the field's size, NUL included).
   *
   * @param pointer a callee-saved register holding a kernel address
   * @param offset added to the address
   * @param string whether it is a NUL-terminated string
   */
  record KernelRead(Register pointer, long offset, boolean string) implements FieldSource {}

  /**
   * A path through kernel structs, its offsets resolved from BTF when the fragment is built.
   *
   * @param pointer the register holding the first struct's address, or null for the
   *     current task ({@code bpf_get_current_task}, the path starting at {@code task_struct})
   * @param path the struct's name, then member names
   */
  record KernelPath(Register pointer, List<String> path) implements FieldSource {
    /**
     * A path, its steps copied.
     *
     * @param pointer the first struct's address, or null for the current task
     * @param path the steps
     */
    public KernelPath {
      if (path == null || path.stream().anyMatch(java.util.Objects::isNull)) {
        throw Problem.BAD_KERNEL_PATH_VALUE
            .with("value", null)
            .with("expected", "a struct name, then at least one member name")
            .build();
      }
      path = List.copyOf(path);
      if (path.size() < 2) {
        throw Problem.BAD_KERNEL_PATH
            .with("value", path)
            .with("path", path)
            .with("expected", "a struct name, then at least one member name")
            .build();
      }
    }
  }

  /**
   * @param register the register
   * @return the source
   */
  static FieldSource reg(Register register) {
    return new FromRegister(register);
  }

  /**
   * @param value the constant
   * @return the source
   */
  static FieldSource imm(long value) {
    return new Immediate(value);
  }

  /**
   * @param value the helper's value
   * @return the source
   */
  static FieldSource helper(HelperValue value) {
    return new FromHelper(value);
  }

  /**
   * @param pointer the register holding the address
   * @param offset added to it
   * @return the source
   */
  static FieldSource kernelRead(Register pointer, long offset) {
    return new KernelRead(pointer, offset, false);
  }

  /**
   * @param pointer the register holding the address
   * @param offset added to it
   * @return the source
   */
  static FieldSource kernelString(Register pointer, long offset) {
    return new KernelRead(pointer, offset, true);
  }

  /**
   * A path from the current task: {@code path("task_struct", "real_parent", "tgid")}.
   *
   * @param path the struct ({@code task_struct}), then members
   * @return the source
   */
  static FieldSource path(String... path) {
    return new KernelPath(null, path == null ? null : java.util.Arrays.asList(path));
  }

  /**
   * A path from a pointer in a register.
   *
   * @param pointer the register
   * @param path the struct it points to, then members
   * @return the source
   */
  static FieldSource pathFrom(Register pointer, String... path) {
    if (pointer == null) {
      throw Problem.MISSING_ARGUMENT_KERNEL_PATH_POINTER
          .with("key", "pointer register")
          .with("value", null)
          .with("expected", "a register r6 to r9 holding the struct's address; path(...)"
              + " starts from the current task")
          .build();
    }
    return new KernelPath(pointer, path == null ? null : java.util.Arrays.asList(path));
  }
}
