/**
 * The command-line tool {@code bpf-events} ({@link io.github.bpfevents.cli.Main}): reads
 * an event file with {@link io.github.bpfevents.definition.EventFileReader} and prints a
 * layout report, the stores, the C header or decoded records; writes the events' BTF,
 * checks events against the BTF of a compiled object, and imports structs from it. The
 * library's jar is the tool: {@code java -jar bpf-events-VERSION.jar --help}.
 */
package io.github.bpfevents.cli;
