/**
 * The BPF stores that fill an event record: a register holds the record's address, each
 * store writes at that register plus a field's offset, with the width of the field's type
 * ({@link io.github.bpfevents.store.EventStores}). The type table's sizes become
 * instruction widths ({@link io.github.bpfevents.asm.Size}) here.
 */
package io.github.bpfevents.store;
