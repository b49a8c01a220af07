/**
 * Definitions as data: the grammar of {@code defevent}, checked in one place, and event
 * files that hold definitions, read and never evaluated.
 *
 * <ul>
 *   <li>{@link io.github.bpfevents.definition.Form}: a datum as the user wrote it (a
 *       keyword, a vector, ...), read from a file or handed over by the Clojure namespace;
 *   <li>{@link io.github.bpfevents.definition.FormReader}: text to forms, a restricted
 *       reader that evaluates nothing;
 *   <li>{@link io.github.bpfevents.definition.DefinitionReader}: the grammar, forms to an
 *       {@link io.github.bpfevents.layout.EventLayout}; {@code make-event-def},
 *       {@code defevent} and event files all go through it;
 *   <li>{@link io.github.bpfevents.definition.EventFileReader} and
 *       {@link io.github.bpfevents.definition.EventFile}: a file or classpath resource of
 *       definitions, and its events by name.
 * </ul>
 */
package io.github.bpfevents.definition;
