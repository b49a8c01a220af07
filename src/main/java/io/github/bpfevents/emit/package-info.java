/**
 * Sending an event from BPF: {@link io.github.bpfevents.emit.EventEmitter} builds the
 * fragment of instructions that reserves a record in a ring buffer, zeroes what no source
 * fills, fills each field from a register, a constant, a helper's result or kernel memory
 * (a path through kernel structs resolved from BTF), and submits it, every request checked
 * against what the verifier of the program type accepts. {@link
 * io.github.bpfevents.emit.HostEmitter} takes the same request as a host language writes it
 * (the option map of the Clojure {@code emit-event}), read through {@link
 * io.github.bpfevents.HostValues}.
 */
package io.github.bpfevents.emit;
