/**
 * Layout: where each field of an event lies. Depends on nothing but the JDK.
 *
 * <p>The types, in the order a definition passes through them:
 *
 * <ul>
 *   <li>{@link io.github.bpfevents.layout.FieldType}: the one table of scalar types (size,
 *       alignment, signedness, byte order, C type, range, reader and writer); everything
 *       that depends on a type asks it;
 *   <li>{@link io.github.bpfevents.layout.FieldSpec}: the <em>declared field</em>, as the
 *       user wrote it: name, element type (a scalar or a nested event), count;
 *   <li>{@link io.github.bpfevents.layout.LayoutEngine} places declared fields by a
 *       {@link io.github.bpfevents.layout.Packing} policy (packed or natural) and gives an
 *       {@link io.github.bpfevents.layout.EventLayout}: the event, immutable;
 *   <li>{@link io.github.bpfevents.layout.Field}: the <em>placed field</em>, a FieldSpec with
 *       its offset and size in the record;
 *   <li>{@link io.github.bpfevents.layout.FieldRef}: the <em>resolved path</em>, what a
 *       path such as {@code [hops 2 ttl]} names, with its absolute offset
 *       ({@link io.github.bpfevents.layout.EventLayout#resolve});
 *   <li>{@link io.github.bpfevents.layout.CNames}: how event and field names become C
 *       identifiers, for the C header, the report and BTF.
 * </ul>
 *
 * <p>The fourth kind of field, the <em>read handle</em>
 * ({@code io.github.bpfevents.codec.FieldHandle}), is a FieldRef made ready to read records.
 */
package io.github.bpfevents.layout;
