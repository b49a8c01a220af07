/**
 * The C header of events ({@link io.github.bpfevents.cheader.CHeader}): structs with
 * {@code <linux/types.h>} types, nested structs first, and static assertions on every size,
 * alignment and offset, so that the C compiler rejects a header that disagrees with the
 * layout.
 */
package io.github.bpfevents.cheader;
