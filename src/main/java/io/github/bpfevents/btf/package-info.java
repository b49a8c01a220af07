/**
 * BTF, the kernel's type format, as {@code linux/btf.h} and
 * {@code Documentation/bpf/btf.rst} describe it: the events as the kernel, clang, bpftool
 * and pahole see them. Depends on {@code layout} and the root package only (and the JDK).
 *
 * <ul>
 *   <li>the format: {@link io.github.bpfevents.btf.BtfKind} (the kinds of record and
 *       their shapes), {@link io.github.bpfevents.btf.BtfType} (a sealed model: one record
 *       class per kind, holding exactly what the wire record holds, names as text),
 *       {@link io.github.bpfevents.btf.BtfStrings} (the string section), and one codec
 *       (package-private {@code BtfCodec}) that the reader and the writer share, so that
 *       what is read writes back byte for byte;
 *   <li>emit: {@link io.github.bpfevents.btf.BtfWriter}, events to type records (derived
 *       from {@link io.github.bpfevents.layout.FieldType}'s table) and records to the raw
 *       blob that {@code BPF_BTF_LOAD} takes;
 *   <li>read: {@link io.github.bpfevents.btf.BtfReader}, raw BTF or the {@code .BTF}
 *       section of an ELF object (the ELF container is read here too, JDK only) to a
 *       {@link io.github.bpfevents.btf.Btf}, the type table by id, with the limits of the
 *       kernel's BTF checker; the table keeps the bytes and decodes records on demand, so
 *       it takes the heap of its BTF and four bytes per type;
 *   <li>check: {@link io.github.bpfevents.btf.BtfChecker}, an event against a struct of a
 *       table, giving {@link io.github.bpfevents.btf.BtfMismatch}es;
 *   <li>import: {@link io.github.bpfevents.btf.BtfImporter}, structs of a table to events
 *       ({@code io.github.bpfevents.definition.DefinitionWriter} writes them as
 *       {@code defevent} forms).
 * </ul>
 *
 * <p>The checker and the importer see a member's type the same way: past typedefs,
 * qualifiers and arrays, to an element and a count, big-endian where a {@code __be16},
 * {@code __be32} or {@code __be64} typedef says so.
 */
package io.github.bpfevents.btf;
