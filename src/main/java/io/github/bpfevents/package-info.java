/**
 * bpf-events: event structures for BPF programs, on the JVM. Declare the record a BPF
 * program writes into a ring buffer once; get its layout, the BPF stores that fill it, the
 * C header, and the decoder that reads it back.
 *
 * <p>The packages, each depending only on those above it (and the JDK):
 *
 * <pre>
 *   (this package)  BpfEventsException, the one error type; Notation, how messages quote
 *   layout          the type table and the layout engine: FieldType, FieldSpec -&gt; Field,
 *                   EventLayout, FieldRef                       (JDK only)
 *   asm             BPF instructions: Insn, InsnEncoder, AsmPrinter (JDK only)
 *   definition      definitions as data: the defevent grammar, event files   (layout)
 *   store           the stores that fill a record               (layout, asm)
 *   codec           records as data and back; views, handles, the ring buffer (layout)
 *   cheader         the C header                                (layout)
 *   report          the layout report                           (layout)
 *   btf             BTF: emit, read, check, import              (layout)
 *   cli             the command-line tool                       (all of the above)
 * </pre>
 *
 * <p>The Clojure namespace {@code clj-ebpf.dsl.structs} is a thin layer over these.
 */
package io.github.bpfevents;
