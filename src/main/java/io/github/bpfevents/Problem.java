package io.github.bpfevents;

import io.github.bpfevents.HostQueries;
import io.github.bpfevents.asm.InsnReader;
import io.github.bpfevents.btf.BtfStrings;
import io.github.bpfevents.btf.BtfWriter;
import io.github.bpfevents.layout.LayoutEngine;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The catalog of every problem the core reports: one entry per kind of message, each with
 * the problem's code, its message template and the data keys its errors carry.
 *
 * <p>The code is what {@link BpfEventsException#problem()} returns, what a Clojure caller
 * finds under {@code :problem} and what the command line prints: a short kebab-case name
 * such as {@code "unknown-field"}. Several entries share a code when the same kind of
 * mistake is reported in different words (a field missing from an event, and a field
 * missing along a path). The template is the message with {@code {key}} places filled from
 * the data (see {@link BpfEventsException}); the keys are all the data an error of the entry
 * may hold besides {@code "problem"}: every place of the template, and the facts only
 * programs read.
 *
 * <p>An error is raised from its entry:
 *
 * <pre>{@code
 * throw Problem.NO_FIELDS
 *     .with("event", name)
 *     .with("expected", "at least one field")
 *     .build();
 * }</pre>
 *
 * <p>and a caller tells errors apart by their entry or code, never by their message:
 * {@code e.entry().orElse(null) == Problem.UNKNOWN_FIELD}, or
 * {@code Problem.UNKNOWN_FIELD.code().equals(e.problem())} for every wording of the code.
 */
public enum Problem {
  /** Message: bitfield {field} is given alignment {value}; expected {expected} */
  BAD_ALIGNED_BITFIELD("bad-aligned",
      "bitfield {field} is given alignment {value}; expected {expected}",
      "field", "value", "expected"),
  /** Message: event {event} has alignment {value}; expected {expected} */
  BAD_ALIGNED_EVENT("bad-aligned",
      "event {event} has alignment {value}; expected {expected}",
      "event", "field", "value", "expected"),
  /** Message: field {field} has alignment {value}; expected {expected} */
  BAD_ALIGNED_FIELD("bad-aligned",
      "field {field} has alignment {value}; expected {expected}",
      "event", "field", "value", "expected"),
  /** Message: option {key} {value} is not accepted; expected {expected} */
  BAD_ALIGNED_OPTION("bad-aligned",
      "option {key} {value} is not accepted; expected {expected}",
      "key", "value", "expected"),
  /** Message: bitfield {field} is 0 bits wide and named; expected {expected} */
  BAD_BITFIELD_BITS_WIDE_NAMED("bad-bitfield",
      "bitfield {field} is 0 bits wide and named; expected {expected}",
      "field", "type", "value", "expected"),
  /** Message: field {field} cannot be a bitfield; expected {expected} */
  BAD_BITFIELD_FIELD("bad-bitfield",
      "field {field} cannot be a bitfield; expected {expected}",
      "field", "value", "expected"),
  /** Message: bitfield {field} has type {type}; expected {expected} */
  BAD_BITFIELD_TYPE("bad-bitfield",
      "bitfield {field} has type {type}; expected {expected}",
      "field", "type", "value", "expected", "accepted"),
  /** Message: bitfield {field} of type {type} is {value} bits wide; expected {expected} */
  BAD_BITFIELD_TYPE_BITS_WIDE("bad-bitfield",
      "bitfield {field} of type {type} is {value} bits wide; expected {expected}",
      "field", "type", "value", "expected"),
  /** Message: {source}: big-endian BTF (magic {value}) is not read; expected {expected} */
  BAD_BTF_BIG_ENDIAN_MAGIC("bad-btf",
      "{source}: big-endian BTF (magic {value}) is not read; expected {expected}",
      "source", "value", "expected"),
  /** Message: {source}: {value} bytes are too few for a BTF header; expected {expected} */
  BAD_BTF_BYTES_TOO_FEW("bad-btf",
      "{source}: {value} bytes are too few for a BTF header; expected {expected}",
      "source", "value", "expected"),
  /** Message: {source}: BTF header length {value} does not fit; expected {expected} */
  BAD_BTF_HEADER_LENGTH("bad-btf",
      "{source}: BTF header length {value} does not fit; expected {expected}",
      "source", "value", "expected"),
  /**
   * Message: {source}: type {id} ({kind}) sets unused bits of its info word ({value}); expected
   * {expected}
   */
  BAD_BTF_INFO_UNUSED_BITS("bad-btf",
      "{source}: type {id} ({kind}) sets unused bits of its info word ({value}); expected "
          + "{expected}",
      "source", "value", "expected", "id", "kind"),
  /**
   * Message: {source}: type {id} (INT) sets unused bits of its data word ({value}); expected
   * {expected}
   */
  BAD_BTF_INT_UNUSED_BITS("bad-btf",
      "{source}: type {id} (INT) sets unused bits of its data word ({value}); expected "
          + "{expected}",
      "source", "value", "expected", "id"),
  /** Message: {source}: type {id} ({kind}) sets the kind flag; expected {expected} */
  BAD_BTF_KIND_FLAG("bad-btf",
      "{source}: type {id} ({kind}) sets the kind flag; expected {expected}",
      "source", "value", "expected", "id", "kind"),
  /** Message: BTF kind {value} is unknown; expected {expected} */
  BAD_BTF_KIND_UNKNOWN("bad-btf",
      "BTF kind {value} is unknown; expected {expected}",
      "value", "expected"),
  /** Message: {source}: magic {value} is not BTF's; expected {expected} */
  BAD_BTF_MAGIC("bad-btf",
      "{source}: magic {value} is not BTF's; expected {expected}",
      "source", "value", "expected"),
  /**
   * Message: {source}: BTF type {id} names a name at offset {value}, inside another name; expected
   * {expected}
   */
  BAD_BTF_NAME_INSIDE_NAME("bad-btf",
      "{source}: BTF type {id} names a name at offset {value}, inside another name; "
          + "expected {expected}",
      "source", "value", "expected", "id"),
  /**
   * Message: {source}: BTF type {id} names a name at offset {value} that is not UTF-8; expected
   * {expected}
   */
  BAD_BTF_NAME_NOT_UTF8("bad-btf",
      "{source}: BTF type {id} names a name at offset {value} that is not UTF-8; expected "
          + "{expected}",
      "source", "value", "expected", "id"),
  /**
   * Message: {source}: BTF name offset {value} is outside the string section; expected {expected}
   */
  BAD_BTF_NAME_OFFSET("bad-btf",
      "{source}: BTF name offset {value} is outside the string section; expected {expected}",
      "source", "value", "expected", "id"),
  /**
   * Message: {source}: BTF type {id} names a name at offset {value} of
   * <code>(BtfStrings.KSYM_NAME_LEN - 1)</code> bytes or more; expected {expected}
   */
  BAD_BTF_NAME_TOO_LONG("bad-btf",
      "{source}: BTF type {id} names a name at offset {value} of " + (BtfStrings.KSYM_NAME_LEN - 1)
          + " bytes or more; expected {expected}",
      "source", "value", "expected", "id"),
  /** Message: {source}: BTF refers to type {value}, which it does not hold; expected {expected} */
  BAD_BTF_REFERS_MISSING_TYPE("bad-btf",
      "{source}: BTF refers to type {value}, which it does not hold; expected {expected}",
      "source", "value", "expected"),
  /** Message: BTF type {id} refers to type {value}, which is not written; expected {expected} */
  BAD_BTF_REFERS_UNWRITTEN("bad-btf",
      "BTF type {id} refers to type {value}, which is not written; expected {expected}",
      "value", "expected", "id"),
  /** Message: {source}: BTF sections reach past the blob's end; expected {expected} */
  BAD_BTF_SECTIONS_PAST_END("bad-btf",
      "{source}: BTF sections reach past the blob's end; expected {expected}",
      "source", "value", "expected"),
  /**
   * Message: {source}: the BTF string section of {value} bytes is malformed; expected {expected}
   */
  BAD_BTF_STRING_SECTION_BYTES("bad-btf",
      "{source}: the BTF string section of {value} bytes is malformed; expected {expected}",
      "source", "value", "expected"),
  /**
   * Message: {source}: type {value} starts a chain of typedefs longer than {max-chain}; expected
   * {expected}
   */
  BAD_BTF_TYPEDEF_CHAIN("bad-btf",
      "{source}: type {value} starts a chain of typedefs longer than {max-chain}; expected "
          + "{expected}",
      "source", "value", "expected", "max-chain"),
  /**
   * Message: {source}: BTF type {value} starts a chain of typedefs, qualifiers and arrays longer
   * than {max-chain} (a loop?); expected {expected}
   */
  BAD_BTF_TYPE_CHAIN("bad-btf",
      "{source}: BTF type {value} starts a chain of typedefs, qualifiers and arrays longer "
          + "than {max-chain} (a loop?); expected {expected}",
      "source", "value", "expected", "max-chain"),
  /**
   * Message: {source}: type {id} is cut short at the end of the type section; expected {expected}
   */
  BAD_BTF_TYPE_CUT_SHORT("bad-btf",
      "{source}: type {id} is cut short at the end of the type section; expected {expected}",
      "source", "value", "expected", "id"),
  /** Message: {source}: type {id} ({kind}) has a name (offset {value}); expected {expected} */
  BAD_BTF_TYPE_NAME_OFFSET("bad-btf",
      "{source}: type {id} ({kind}) has a name (offset {value}); expected {expected}",
      "source", "value", "expected", "id", "kind"),
  /**
   * Message: {source}: BTF type {id}: name offset {value} is outside the string section; expected
   * {expected}
   */
  BAD_BTF_TYPE_NAME_OFFSET_OUTSIDE("bad-btf",
      "{source}: BTF type {id}: name offset {value} is outside the string section; "
          + "expected {expected}",
      "source", "value", "expected", "id"),
  /** Message: BTF type {id} is null; expected {expected} */
  BAD_BTF_TYPE_NULL("bad-btf",
      "BTF type {id} is null; expected {expected}",
      "value", "expected", "id"),
  /**
   * Message: {source}: type {id} ({kind}, vlen {vlen}) runs past the end of the type section;
   * expected {expected}
   */
  BAD_BTF_TYPE_PAST_END("bad-btf",
      "{source}: type {id} ({kind}, vlen {vlen}) runs past the end of the type section; "
          + "expected {expected}",
      "source", "value", "expected", "id", "kind", "vlen"),
  /**
   * Message: {source}: type {id} ({kind}) has {value} as its size/type word; expected {expected}
   */
  BAD_BTF_TYPE_SIZE_WORD("bad-btf",
      "{source}: type {id} ({kind}) has {value} as its size/type word; expected {expected}",
      "source", "value", "expected", "id", "kind"),
  /** Message: {source}: type {id} has unknown kind {value}; expected {expected} */
  BAD_BTF_TYPE_UNKNOWN_KIND("bad-btf",
      "{source}: type {id} has unknown kind {value}; expected {expected}",
      "source", "value", "expected", "id"),
  /** Message: {source}: type {id} ({kind}) has vlen {value}; expected {expected} */
  BAD_BTF_TYPE_VLEN("bad-btf",
      "{source}: type {id} ({kind}) has vlen {value}; expected {expected}",
      "source", "value", "expected", "id", "kind"),
  /** Message: {source}: BTF version {value} is not read; expected {expected} */
  BAD_BTF_VERSION("bad-btf",
      "{source}: BTF version {value} is not read; expected {expected}",
      "source", "value", "expected"),
  /** Message: BTF name {value} holds a NUL; expected {expected} */
  BAD_BTF_NAME("bad-btf-name",
      "BTF name {value} holds a NUL; expected {expected}",
      "value", "expected"),
  /** Message: BTF bytes are null; expected {expected} */
  BAD_BTF_SOURCE_BYTES("bad-btf-source",
      "BTF bytes are null; expected {expected}",
      "value", "expected"),
  /**
   * Message: emit-event {key} {value} will not do; expected the path of a BTF file, such as
   * "/sys/kernel/btf/vmlinux"
   */
  BAD_BTF_SOURCE_EMIT_EVENT("bad-btf-source",
      "emit-event {key} {value} will not do; expected the path of a BTF file, such as "
          + "\"/sys/kernel/btf/vmlinux\"",
      "key", "value", "expected"),
  /** Message: BTF source is null; expected {expected} */
  BAD_BTF_SOURCE_NULL("bad-btf-source",
      "BTF source is null; expected {expected}",
      "value", "expected"),
  /**
   * Message: BTF source {value} is not a path or bytes; expected the path (String or File) of an
   * object or raw BTF, or its bytes
   */
  BAD_BTF_SOURCE_PATH_BYTES("bad-btf-source",
      "BTF source {value} is not a path or bytes; expected the path (String or File) of an "
          + "object or raw BTF, or its bytes",
      "value", "expected"),
  /**
   * Message: {what} name {event} becomes {c-name} in C, which is not an identifier; expected
   * {expected}
   */
  BAD_C_NAME_EVENT_NOT_IDENTIFIER("bad-c-name",
      "{what} name {event} becomes {c-name} in C, which is not an identifier; expected "
          + "{expected}",
      "event", "field", "value", "c-name", "expected", "what"),
  /** Message: {what} name {event} becomes {c-name} in C, {why}; expected {expected} */
  BAD_C_NAME_EVENT_UNUSABLE("bad-c-name",
      "{what} name {event} becomes {c-name} in C, {why}; expected {expected}",
      "event", "field", "value", "c-name", "expected", "what", "why"),
  /**
   * Message: {what} name {field} becomes {c-name} in C, which is not an identifier; expected
   * {expected}
   */
  BAD_C_NAME_FIELD_NOT_IDENTIFIER("bad-c-name",
      "{what} name {field} becomes {c-name} in C, which is not an identifier; expected "
          + "{expected}",
      "event", "field", "value", "c-name", "expected", "what"),
  /** Message: {what} name {field} becomes {c-name} in C, {why}; expected {expected} */
  BAD_C_NAME_FIELD_UNUSABLE("bad-c-name",
      "{what} name {field} becomes {c-name} in C, {why}; expected {expected}",
      "event", "field", "value", "c-name", "expected", "what", "why"),
  /** Message: name is null; expected {expected} */
  BAD_C_NAME_NULL("bad-c-name",
      "name is null; expected {expected}",
      "value", "expected"),
  /** Message: field {field} has count {value}; expected {expected} */
  BAD_COUNT("bad-count",
      "field {field} has count {value}; expected {expected}",
      "field", "value", "expected"),
  /** Message: event {event}: field {field} has count {value}; expected {expected} */
  BAD_COUNT_EVENT("bad-count",
      "event {event}: field {field} has count {value}; expected {expected}",
      "event", "field", "index", "value", "expected", "line"),
  /** Message: {source} {what}; expected {expected} */
  BAD_ELF("bad-elf",
      "{source} {what}; expected {expected}",
      "source", "expected", "what"),
  /** Message: enumerator {enumerator} is {value}, which does not fit {type}; expected {expected} */
  BAD_ENUMERATOR_VALUE("bad-enum",
      "enumerator {enumerator} is {value}, which does not fit {type}; expected {expected}",
      "enum", "enumerator", "value", "type", "expected"),
  /**
   * Message: enum {enum}: enumerator {enumerator} is {value}, which does not fit {type}; expected
   * {expected}
   */
  BAD_ENUMERATOR_VALUE_NAMED_ENUM("bad-enum",
      "enum {enum}: enumerator {enumerator} is {value}, which does not fit {type}; "
          + "expected {expected}",
      "enum", "enumerator", "value", "type", "expected"),
  /** Message: bitfield {field}: enumerator {enumerator} is {value}; expected {expected} */
  BAD_ENUM_BITFIELD_ENUMERATOR("bad-enum",
      "bitfield {field}: enumerator {enumerator} is {value}; expected {expected}",
      "field", "enumerator", "value", "expected"),
  /** Message: enum {enum} has no enumerators; expected {expected} */
  BAD_ENUM_ENUMERATORS("bad-enum",
      "enum {enum} has no enumerators; expected {expected}",
      "enum", "value", "expected"),
  /** Message: enum {enum} has enumerator name {value}; expected {expected} */
  BAD_ENUM_ENUMERATOR_NAME("bad-enum",
      "enum {enum} has enumerator name {value}; expected {expected}",
      "enum", "value", "expected"),
  /**
   * Message: event {event}: field {field} has enum value {value}, which an event file cannot hold;
   * expected {expected}
   */
  BAD_ENUM_EVENT_FIELD_VALUE("bad-enum",
      "event {event}: field {field} has enum value {value}, which an event file cannot "
          + "hold; expected {expected}",
      "event", "field", "value", "expected"),
  /** Message: field {field} has enum {value}; expected {expected} */
  BAD_ENUM_FIELD("bad-enum",
      "field {field} has enum {value}; expected {expected}",
      "field", "value", "expected"),
  /**
   * Message: field {field}: enumerator {value} is not a keyword naming an integer; expected
   * {expected}
   */
  BAD_ENUM_FIELD_ENUMERATOR_KEYWORD("bad-enum",
      "field {field}: enumerator {value} is not a keyword naming an integer; expected "
          + "{expected}",
      "field", "value", "enumerator", "expected"),
  /** Message: field {field} is given enum {value}; expected {expected} */
  BAD_ENUM_FIELD_GIVEN("bad-enum",
      "field {field} is given enum {value}; expected {expected}",
      "field", "value", "expected"),
  /** Message: field {field} of type {type} is given an enum of type {value}; expected {expected} */
  BAD_ENUM_FIELD_TYPE_GIVEN("bad-enum",
      "field {field} of type {type} is given an enum of type {value}; expected {expected}",
      "field", "type", "value", "expected"),
  /** Message: enum name {value} is empty; expected {expected} */
  BAD_ENUM_NAME_EMPTY("bad-enum",
      "enum name {value} is empty; expected {expected}",
      "enum", "value", "expected"),
  /** Message: enum {enum} has type {value}; expected {expected} */
  BAD_ENUM_TYPE("bad-enum",
      "enum {enum} has type {value}; expected {expected}",
      "enum", "value", "expected", "accepted"),
  /** Message: an enum of type {value}; expected {expected} (an enum without a name) */
  BAD_ENUM_TYPE_UNNAMED("bad-enum",
      "an enum of type {value}; expected {expected}",
      "enum", "value", "expected", "accepted"),
  /** Message: {detail} */
  BAD_EVENT_FILE("bad-event-file",
      "{detail}",
      "source", "line", "detail"),
  /** Message: event name {value} is not a name; expected {expected} */
  BAD_EVENT_NAME("bad-event-name",
      "event name {value} is not a name; expected {expected}",
      "value", "expected", "line"),
  /** Message: defevent has no name; expected {expected} */
  BAD_EVENT_NAME_DEFEVENT("bad-event-name",
      "defevent has no name; expected {expected}",
      "value", "expected", "line"),
  /** Message: defevent form is null; expected {expected} */
  BAD_EVENT_NAME_DEFEVENT_FORM_NULL("bad-event-name",
      "defevent form is null; expected {expected}",
      "value", "expected", "line"),
  /** Message: defevent name {value} is not a symbol; expected {expected} */
  BAD_EVENT_NAME_DEFEVENT_SYMBOL("bad-event-name",
      "defevent name {value} is not a symbol; expected {expected}",
      "value", "expected", "line"),
  /** Message: event name {value} has a namespace; expected {expected} */
  BAD_EVENT_NAME_NAMESPACE("bad-event-name",
      "event name {value} has a namespace; expected {expected}",
      "value", "expected", "line"),
  /** Message: field name {value} is not a name; expected {expected} */
  BAD_FIELD_NAME("bad-field-name",
      "field name {value} is not a name; expected {expected}",
      "value", "expected"),
  /**
   * Message: event {event}: field name {value} in spec {index} is not a keyword; expected
   * {expected}
   */
  BAD_FIELD_NAME_EVENT_SPEC_KEYWORD("bad-field-name",
      "event {event}: field name {value} in spec {index} is not a keyword; expected "
          + "{expected}",
      "event", "index", "value", "expected", "line"),
  /** Message: event {event}: field spec {index} is {value}; expected {expected} */
  BAD_FIELD_SPEC("bad-field-spec",
      "event {event}: field spec {index} is {value}; expected {expected}",
      "event", "index", "value", "expected", "line"),
  /** Message: event {event}: field spec {index} is null; expected {expected} */
  BAD_FIELD_SPEC_NULL("bad-field-spec",
      "event {event}: field spec {index} is null; expected {expected}",
      "event", "index", "value", "expected"),
  /** Message: field specs of {event} are {value}; expected {expected} */
  BAD_FIELD_SPECS("bad-field-specs",
      "field specs of {event} are {value}; expected {expected}",
      "event", "value", "expected", "line"),
  /** Message: bitfield {field}: immediate {value} does not fit; expected {expected} */
  BAD_IMMEDIATE("bad-immediate",
      "bitfield {field}: immediate {value} does not fit; expected {expected}",
      "field", "value", "expected"),
  /** Message: kernel path {path} will not do; expected {expected} */
  BAD_KERNEL_PATH("bad-kernel-path",
      "kernel path {path} will not do; expected {expected}",
      "value", "path", "expected"),
  /** Message: kernel path {path} ends at {described}, which has no size; expected {expected} */
  BAD_KERNEL_PATH_ENDS_SIZE("bad-kernel-path",
      "kernel path {path} ends at {described}, which has no size; expected {expected}",
      "value", "path", "type", "expected", "described"),
  /**
   * Message: field {field}: kernel path {value} will not do; expected a vector of a struct name and
   * member names, such as [:task_struct :real_parent :tgid]
   */
  BAD_KERNEL_PATH_FIELD("bad-kernel-path",
      "field {field}: kernel path {value} will not do; expected a vector of a struct name "
          + "and member names, such as [:task_struct :real_parent :tgid]",
      "field", "value", "expected"),
  /**
   * Message: field {field}: kernel path {path} starts from the current task, whose struct is
   * task_struct; expected {expected}
   */
  BAD_KERNEL_PATH_FIELD_STARTS_CURRENT("bad-kernel-path",
      "field {field}: kernel path {path} starts from the current task, whose struct is "
          + "task_struct; expected {expected}",
      "field", "value", "path", "expected"),
  /**
   * Message: kernel path {path}: {where} is {described}, which has no members; expected {expected}
   */
  BAD_KERNEL_PATH_MEMBERS("bad-kernel-path",
      "kernel path {path}: {where} is {described}, which has no members; expected "
          + "{expected}",
      "value", "path", "member", "type", "expected", "where", "described"),
  /**
   * Message: kernel path {path}: member {member} of {struct} is a bitfield, which a kernel read
   * cannot fetch by whole bytes; expected {expected}
   */
  BAD_KERNEL_PATH_MEMBER_BITFIELD("bad-kernel-path",
      "kernel path {path}: member {member} of {struct} is a bitfield, which a kernel read "
          + "cannot fetch by whole bytes; expected {expected}",
      "value", "path", "member", "struct", "expected"),
  /** Message: kernel path {value} will not do; expected {expected} */
  BAD_KERNEL_PATH_VALUE("bad-kernel-path",
      "kernel path {value} will not do; expected {expected}",
      "value", "expected"),
  /** Message: emit-event {key} {value} is not a label; expected {expected} */
  BAD_LABEL_EMIT_EVENT("bad-label",
      "emit-event {key} {value} is not a label; expected {expected}",
      "key", "value", "expected"),
  /** Message: label {value} is not a keyword; expected {expected} */
  BAD_LABEL_KEYWORD("bad-label",
      "label {value} is not a keyword; expected {expected}",
      "value", "expected"),
  /** Message: map {value} will not do; expected {expected} */
  BAD_MAP("bad-map",
      "map {value} will not do; expected {expected}",
      "value", "expected"),
  /**
   * Message: emit-event {key} {value} will not do; expected a map's file descriptor (an integer) or
   * a placeholder's name (a keyword)
   */
  BAD_MAP_EMIT_EVENT("bad-map",
      "emit-event {key} {value} will not do; expected a map's file descriptor (an integer) "
          + "or a placeholder's name (a keyword)",
      "key", "value", "expected"),
  /** Message: the written definitions do not read back ({value}); expected {expected} */
  BAD_NAME_DEFINITIONS_READ_BACK("bad-name",
      "the written definitions do not read back ({value}); expected {expected}",
      "value", "expected"),
  /**
   * Message: event {event}: {what} name {value} cannot be written as a keyword; expected {expected}
   */
  BAD_NAME_EVENT_KEYWORD("bad-name",
      "event {event}: {what} name {value} cannot be written as a keyword; expected "
          + "{expected}",
      "event", "value", "expected", "what"),
  /** Message: event {event}, written, reads back to another layout; expected {expected} */
  BAD_NAME_EVENT_READS_BACK("bad-name",
      "event {event}, written, reads back to another layout; expected {expected}",
      "event", "value", "expected"),
  /**
   * Message: event {event}: {what} name {value} cannot be written as a symbol; expected {expected}
   */
  BAD_NAME_EVENT_SYMBOL("bad-name",
      "event {event}: {what} name {value} cannot be written as a symbol; expected "
          + "{expected}",
      "event", "value", "expected", "what"),
  /**
   * Message: event {event}: {what} name {value} does not read back as the keyword it is written as;
   * expected {expected}
   */
  BAD_NAME_KEYWORD_READ_BACK("bad-name",
      "event {event}: {what} name {value} does not read back as the keyword it is written "
          + "as; expected {expected}",
      "event", "value", "expected", "what"),
  /**
   * Message: event {event}: {what} name {value} does not read back as the symbol it is written as;
   * expected {expected}
   */
  BAD_NAME_SYMBOL_READ_BACK("bad-name",
      "event {event}: {what} name {value} does not read back as the symbol it is written "
          + "as; expected {expected}",
      "event", "value", "expected", "what"),
  /** Message: offset {value} is not a non-negative integer; expected an offset into the buffer */
  BAD_OFFSET("bad-offset",
      "offset {value} is not a non-negative integer; expected an offset into the buffer",
      "value", "expected"),
  /** Message: arithmetic operation {value} takes no immediate here; expected {expected} */
  BAD_OPERATION_ARITHMETIC_TAKES_IMMEDIATE("bad-operation",
      "arithmetic operation {value} takes no immediate here; expected {expected}",
      "value", "expected"),
  /** Message: jump operation {value} is not a comparison; expected {expected} */
  BAD_OPERATION_JUMP_COMPARISON("bad-operation",
      "jump operation {value} is not a comparison; expected {expected}",
      "value", "expected"),
  /** Message: submit condition {value} is not a comparison; expected {expected} */
  BAD_OPERATION_SUBMIT_CONDITION_COMPARISON("bad-operation",
      "submit condition {value} is not a comparison; expected {expected}",
      "value", "expected"),
  /** Message: option {key} {value} is not accepted; expected {expected} */
  BAD_OPTION_ACCEPTED("bad-option",
      "option {key} {value} is not accepted; expected {expected}",
      "key", "value", "expected", "accepted"),
  /** Message: c-header options {value} are not accepted; expected {{:guard "NAME_H"} or {{} */
  BAD_OPTION_C_HEADER_OPTIONS("bad-option",
      "c-header options {value} are not accepted; expected {{:guard \"NAME_H\"} or {{}",
      "value", "expected", "accepted"),
  /** Message: emit-event {key} {value} will not do; expected [op reg imm], such as [:jset :r8 3] */
  BAD_SUBMIT_IF("bad-option",
      "emit-event {key} {value} will not do; expected [op reg imm], such as [:jset :r8 3]",
      "key", "value", "expected"),
  /** Message: emit-event {key} {value} will not do; expected {expected} */
  BAD_EMIT_OPTION("bad-option",
      "emit-event {key} {value} will not do; expected {expected}",
      "key", "value", "expected"),
  /** Message: emit-event option {key} is not accepted; expected {expected} */
  EMIT_OPTION_REFUSED("bad-option",
      "emit-event option {key} is not accepted; expected {expected}",
      "key", "value", "expected", "accepted"),
  /** Message: emit-event option {key} {value} is not accepted; expected {expected} */
  EMIT_CHOICE_REFUSED("bad-option",
      "emit-event option {key} {value} is not accepted; expected {expected}",
      "key", "value", "expected", "accepted"),
  /** Message: emit-event option {value} is not accepted; expected {expected} */
  UNKNOWN_EMIT_OPTION("bad-option",
      "emit-event option {value} is not accepted; expected {expected}",
      "key", "value", "expected", "accepted"),
  /** Message: emit-event {key} {value} is not a map; expected {expected} */
  BAD_OPTION_EMIT_EVENT_MAP("bad-option",
      "emit-event {key} {value} is not a map; expected {expected}",
      "key", "value", "expected"),
  /** Message: emit-event {key} {value} names too many fields; expected {expected} */
  BAD_OPTION_EMIT_EVENT_NAMES("bad-option",
      "emit-event {key} {value} names too many fields; expected {expected}",
      "key", "value", "expected"),
  /**
   * Message: emit-event options {value} are not a map; expected a map with :program-type, :map and
   * :fields
   */
  BAD_OPTION_EMIT_EVENT_OPTIONS("bad-option",
      "emit-event options {value} are not a map; expected a map with :program-type, :map "
          + "and :fields",
      "value", "expected"),
  /** Message: event {event}: field spec {index} has unknown option {key}; expected {expected} */
  BAD_OPTION_EVENT_FIELD_SPEC("bad-option",
      "event {event}: field spec {index} has unknown option {key}; expected {expected}",
      "event", "field", "index", "key", "value", "expected", "accepted", "line"),
  /** Message: event {event}: option {key} is null; expected {expected} */
  BAD_OPTION_EVENT_NULL("bad-option",
      "event {event}: option {key} is null; expected {expected}",
      "event", "key", "value", "expected", "accepted"),
  /** Message: event {event}: options {value} are not a map; expected {expected} */
  BAD_OPTION_EVENT_OPTIONS_MAP("bad-option",
      "event {event}: options {value} are not a map; expected {expected}",
      "event", "value", "expected", "accepted", "line"),
  /** Message: event {event}: unknown option {key}; expected {expected} */
  BAD_OPTION_EVENT_UNKNOWN("bad-option",
      "event {event}: unknown option {key}; expected {expected}",
      "event", "key", "value", "expected", "accepted", "line"),
  /** Message: field {field} has option :kind without :to; expected {expected} */
  BAD_OPTION_FIELD_KIND_WITHOUT("bad-option",
      "field {field} has option :kind without :to; expected {expected}",
      "field", "key", "value", "expected"),
  /** Message: include guard {value} is {why}; expected {expected} */
  BAD_OPTION_INCLUDE_GUARD("bad-option",
      "include guard {value} is {why}; expected {expected}",
      "key", "value", "expected", "why"),
  /** Message: include guard {value} is not a C identifier; expected {expected} */
  BAD_OPTION_INCLUDE_GUARD_C("bad-option",
      "include guard {value} is not a C identifier; expected {expected}",
      "key", "value", "expected"),
  /** Message: options {value} are not accepted; expected {expected} */
  BAD_OPTION_OPTIONS_ACCEPTED("bad-option",
      "options {value} are not accepted; expected {expected}",
      "value", "expected", "accepted"),
  /**
   * Message: a submit condition needs a reserved record to discard, not delivery {value}; expected
   * {expected}
   */
  BAD_OPTION_SUBMIT_CONDITION_NEEDS("bad-option",
      "a submit condition needs a reserved record to discard, not delivery {value}; "
          + "expected {expected}",
      "key", "value", "expected"),
  /**
   * Message: path {path} of {event}: step {step} after the start does not fit; expected {expected}
   */
  BAD_PATH_START("bad-path",
      "path {path} of {event}: step {step} after the start does not fit; expected "
          + "{expected}",
      "path", "value", "step", "at", "event", "expected"),
  /** Message: path {path} of {event}: step {step} after {at} does not fit; expected {expected} */
  BAD_PATH_STEP("bad-path",
      "path {path} of {event}: step {step} after {at} does not fit; expected {expected}",
      "path", "value", "step", "at", "event", "expected"),
  /** Message: perf buffer pageSize {value} will not do; expected {expected} */
  BAD_PERF_BUFFER_PAGE_SIZE("bad-perf-buffer",
      "perf buffer pageSize {value} will not do; expected {expected}",
      "key", "value", "index", "expected"),
  /** Message: perf buffer rings {value} will not do; expected {expected} */
  BAD_PERF_BUFFER_RINGS("bad-perf-buffer",
      "perf buffer rings {value} will not do; expected {expected}",
      "key", "value", "index", "expected"),
  /** Message: perf buffer ring {index} data area {value} will not do; expected {expected} */
  BAD_PERF_BUFFER_RING_DATA_AREA("bad-perf-buffer",
      "perf buffer ring {index} data area {value} will not do; expected {expected}",
      "key", "value", "index", "expected"),
  /** Message: perf buffer ring index {value} is out of range; expected {expected} */
  BAD_PERF_BUFFER_RING_INDEX("bad-perf-buffer",
      "perf buffer ring index {value} is out of range; expected {expected}",
      "key", "value", "index", "expected"),
  /**
   * Message: perf buffer ring {index} ring {value} does not start at an 8-byte aligned address;
   * expected {expected}
   */
  BAD_PERF_BUFFER_RING_MISALIGNED("bad-perf-buffer",
      "perf buffer ring {index} ring {value} does not start at an 8-byte aligned address; "
          + "expected {expected}",
      "key", "value", "index", "expected"),
  /** Message: perf buffer ring {index} ring is null; expected {expected} */
  BAD_PERF_BUFFER_RING_NULL("bad-perf-buffer",
      "perf buffer ring {index} ring is null; expected {expected}",
      "key", "value", "index", "expected"),
  /** Message: perf buffer ring {index} ring {value} is read-only; expected {expected} */
  BAD_PERF_BUFFER_RING_READ_ONLY("bad-perf-buffer",
      "perf buffer ring {index} ring {value} is read-only; expected {expected}",
      "key", "value", "index", "expected"),
  /**
   * Message: perf buffer ring {index} ring {value} has {limit} bytes below its limit; expected
   * {expected}
   */
  BAD_PERF_BUFFER_RING_TOO_SMALL("bad-perf-buffer",
      "perf buffer ring {index} ring {value} has {limit} bytes below its limit; expected "
          + "{expected}",
      "key", "value", "index", "expected", "limit"),
  /** Message: field {field} points to {value}; expected {expected} */
  BAD_POINTER_POINTS("bad-pointer",
      "field {field} points to {value}; expected {expected}",
      "field", "value", "expected"),
  /** Message: field {field} of type {type} is given a target {value}; expected {expected} */
  BAD_POINTER_TYPE_GIVEN_TARGET("bad-pointer",
      "field {field} of type {type} is given a target {value}; expected {expected}",
      "field", "value", "type", "expected"),
  /** Message: bitfield {field}: scratch register {register} cannot be used; expected {expected} */
  BAD_REGISTER_BITFIELD_SCRATCH_USED("bad-register",
      "bitfield {field}: scratch register {register} cannot be used; expected {expected}",
      "field", "register", "expected"),
  /** Message: field {field}: a register is null; expected {expected} */
  BAD_REGISTER_FIELD_NULL("bad-register",
      "field {field}: a register is null; expected {expected}",
      "field", "register", "expected"),
  /** Message: field {field}: the record's register is null; expected {expected} */
  BAD_REGISTER_RECORD_NULL("bad-register",
      "field {field}: the record's register is null; expected {expected}",
      "field", "register", "expected"),
  /** Message: ring buffer consumerPage {value} is read-only; expected {expected} */
  BAD_RING_BUFFER_CONSUMER_PAGE_READ_ONLY("bad-ring-buffer",
      "ring buffer consumerPage {value} is read-only; expected {expected}",
      "key", "value", "expected"),
  /** Message: ring buffer dataSize {value} will not do; expected {expected} */
  BAD_RING_BUFFER_DATA_SIZE("bad-ring-buffer",
      "ring buffer dataSize {value} will not do; expected {expected}",
      "key", "value", "expected"),
  /**
   * Message: ring buffer {region} {value} does not start at an 8-byte aligned address; expected
   * {expected}
   */
  BAD_RING_BUFFER_MISALIGNED("bad-ring-buffer",
      "ring buffer {region} {value} does not start at an 8-byte aligned address; expected "
          + "{expected}",
      "key", "value", "expected", "region"),
  /** Message: ring buffer {region} is null; expected {expected} */
  BAD_RING_BUFFER_NULL("bad-ring-buffer",
      "ring buffer {region} is null; expected {expected}",
      "key", "value", "expected", "region"),
  /** Message: ring buffer pageSize {value} will not do; expected {expected} */
  BAD_RING_BUFFER_PAGE_SIZE("bad-ring-buffer",
      "ring buffer pageSize {value} will not do; expected {expected}",
      "key", "value", "expected"),
  /** Message: ring buffer publishEvery {value} will not do; expected {expected} */
  BAD_RING_BUFFER_PUBLISH_EVERY("bad-ring-buffer",
      "ring buffer publishEvery {value} will not do; expected {expected}",
      "key", "value", "expected"),
  /**
   * Message: ring buffer {region} {value} has {limit} bytes below its limit; expected {expected}
   */
  BAD_RING_BUFFER_TOO_SMALL("bad-ring-buffer",
      "ring buffer {region} {value} has {limit} bytes below its limit; expected {expected}",
      "key", "value", "expected", "region", "limit"),
  /** Message: stack top {value} will not do; expected {expected} */
  BAD_STACK("bad-stack",
      "stack top {value} will not do; expected {expected}",
      "value", "expected"),
  /** Message: emit-event {key} {value} is not an integer; expected {expected} */
  BAD_STACK_EMIT_EVENT_INTEGER("bad-stack",
      "emit-event {key} {value} is not an integer; expected {expected}",
      "key", "value", "expected"),
  /** Message: field {field}: value {value} does not fit; expected {expected} */
  BAD_VALUE_FIELD_FIT("bad-value",
      "field {field}: value {value} does not fit; expected {expected}",
      "field", "path", "value", "expected", "accepted"),
  /** Message: {value} is not a map of field values; expected a map */
  BAD_VALUE_MAP_FIELD_VALUES("bad-value",
      "{value} is not a map of field values; expected a map",
      "value", "expected"),
  /** Message: values are null; expected {expected} */
  BAD_VALUE_VALUES_NULL("bad-value",
      "values are null; expected {expected}",
      "value", "expected"),
  /** Message: field {field} has a null value spec; expected {expected} */
  BAD_VALUE_SPEC_NULL("bad-value-spec",
      "field {field} has a null value spec; expected {expected}",
      "field", "value", "expected"),
  /**
   * Message: field {field}: value {value} is not {value-spec}; expected exactly one of {expected}
   */
  BAD_BITS_VALUE_SPEC("bad-value-spec",
      "field {field}: value {value} is not {value-spec}; expected exactly one of {expected}",
      "field", "value", "expected", "value-spec"),
  /** Message: value for field {field} is {value}; expected exactly one of {expected} */
  BAD_FIELD_VALUE_SPEC("bad-value-spec",
      "value for field {field} is {value}; expected exactly one of {expected}",
      "field", "value", "expected"),
  /** Message: field values are null; expected a map of field to value spec */
  BAD_VALUE_SPEC_VALUES("bad-value-spec",
      "field values are null; expected a map of field to value spec",
      "value", "expected"),
  /** Message: field values {value} are not a map; expected {field {:reg r}} or {field {:imm v}} */
  BAD_VALUE_SPEC_VALUES_MAP("bad-value-spec",
      "field values {value} are not a map; expected {field {:reg r}} or {field {:imm v}}",
      "value", "expected"),
  /** Message: back-off {key} {value} will not do; expected {expected} */
  BAD_WAITER_BACK_OFF("bad-waiter",
      "back-off {key} {value} will not do; expected {expected}",
      "key", "value", "expected"),
  /** Message: drain loop {key} {value} will not do; expected {expected} */
  BAD_WAITER_DRAIN_LOOP("bad-waiter",
      "drain loop {key} {value} will not do; expected {expected}",
      "key", "value", "expected"),
  /** Message: epoll waiter fd {value} will not do; expected {expected} */
  BAD_WAITER_EPOLL_FD("bad-waiter",
      "epoll waiter fd {value} will not do; expected {expected}",
      "key", "value", "expected"),
  /** Message: epoll waiter over fds {value} will not do; expected {expected} */
  BAD_WAITER_EPOLL_OVER_FDS("bad-waiter",
      "epoll waiter over fds {value} will not do; expected {expected}",
      "key", "value", "expected"),
  /** Message: lingering waiter {key} {value} will not do; expected {expected} */
  BAD_WAITER_LINGERING("bad-waiter",
      "lingering waiter {key} {value} will not do; expected {expected}",
      "key", "value", "expected"),
  /** Message: lingering waiter {key} is null; expected {expected} */
  BAD_WAITER_LINGERING_NULL("bad-waiter",
      "lingering waiter {key} is null; expected {expected}",
      "key", "value", "expected"),
  /** Message: access width {value} is not a BPF width; expected 1, 2, 4 or 8 */
  BAD_WIDTH("bad-width",
      "access width {value} is not a BPF width; expected 1, 2, 4 or 8",
      "value", "expected"),
  /** Message: {source}: the BTF is {value} bytes; expected {expected} */
  BTF_TOO_LARGE_BYTES("btf-too-large",
      "{source}: the BTF is {value} bytes; expected {expected}",
      "source", "value", "expected"),
  /**
   * Message: event {event}: field {field} at byte {value} lies beyond what BTF describes; expected
   * {expected}
   */
  BTF_TOO_LARGE_EVENT_FIELD_BYTE("btf-too-large",
      "event {event}: field {field} at byte {value} lies beyond what BTF describes; "
          + "expected {expected}",
      "event", "field", "value", "expected"),
  /**
   * Message: {source}: the BTF holds more than <code>BtfWriter.MAX_TYPES</code> types; expected
   * {expected}
   */
  BTF_TOO_LARGE_HOLDS_MORE_TYPES("btf-too-large",
      "{source}: the BTF holds more than " + BtfWriter.MAX_TYPES + " types; expected {expected}",
      "source", "value", "expected"),
  /** Message: BTF names reach {value} bytes; expected {expected} */
  BTF_TOO_LARGE_NAMES_REACH_BYTES("btf-too-large",
      "BTF names reach {value} bytes; expected {expected}",
      "value", "expected"),
  /** Message: {source}: section {section} is {value} bytes; expected {expected} */
  BTF_TOO_LARGE_SECTION_BYTES("btf-too-large",
      "{source}: section {section} is {value} bytes; expected {expected}",
      "source", "value", "expected", "section"),
  /** Message: {source}: the BTF string section is {value} bytes; expected {expected} */
  BTF_TOO_LARGE_STRING_SECTION_BYTES("btf-too-large",
      "{source}: the BTF string section is {value} bytes; expected {expected}",
      "source", "value", "expected"),
  /** Message: BTF type {id}: {what} {value} does not fit; expected {expected} */
  BTF_TOO_LARGE_TYPE_FIT("btf-too-large",
      "BTF type {id}: {what} {value} does not fit; expected {expected}",
      "value", "expected", "id", "what"),
  /**
   * Message: BTF type {id}: member {member} at bit {value} (bitfield size {bitfield-size}) does not
   * fit; expected {expected}
   */
  BTF_TOO_LARGE_TYPE_MEMBER_BIT("btf-too-large",
      "BTF type {id}: member {member} at bit {value} (bitfield size {bitfield-size}) does "
          + "not fit; expected {expected}",
      "value", "member", "expected", "id", "bitfield-size"),
  /** Message: {value} BTF type records cannot be written; expected {expected} */
  BTF_TOO_LARGE_TYPE_RECORDS_WRITTEN("btf-too-large",
      "{value} BTF type records cannot be written; expected {expected}",
      "value", "expected"),
  /** Message: the BTF would be {value} bytes; expected {expected} */
  BTF_TOO_LARGE_WOULD_BYTES("btf-too-large",
      "the BTF would be {value} bytes; expected {expected}",
      "value", "expected"),
  /**
   * Message: the BTF would hold more than <code>BtfWriter.MAX_TYPES</code> types; expected
   * {expected}
   */
  BTF_TOO_LARGE_WOULD_HOLD_MORE("btf-too-large",
      "the BTF would hold more than " + BtfWriter.MAX_TYPES + " types; expected {expected}",
      "value", "expected"),
  /** Message: record offset {offset} is negative; expected {expected} */
  BUFFER_NEGATIVE_OFFSET("buffer-too-short",
      "record offset {offset} is negative; expected {expected}",
      "offset", "value", "expected", "event", "field"),
  /**
   * Message: a {event} record ({size} bytes) at offset {offset} needs {end} bytes, but the buffer
   * has {value}; expected {expected}
   */
  BUFFER_TOO_SHORT_BYTES_OFFSET_NEEDS("buffer-too-short",
      "a {event} record ({size} bytes) at offset {offset} needs {end} bytes, but the "
          + "buffer has {value}; expected {expected}",
      "event", "offset", "size", "value", "expected", "end"),
  /**
   * Message: field {field} of the record at {offset} lies beyond the buffer ({value} bytes);
   * expected {expected}
   */
  BUFFER_TOO_SHORT_FIELD_LIES_BEYOND("buffer-too-short",
      "field {field} of the record at {offset} lies beyond the buffer ({value} bytes); "
          + "expected {expected}",
      "field", "offset", "value", "expected"),
  /** Message: buffer has {remaining} bytes remaining; expected at least 8 bytes remaining */
  BUFFER_TOO_SMALL("buffer-too-small",
      "buffer has {remaining} bytes remaining; expected at least 8 bytes remaining",
      "value", "expected", "remaining"),
  /**
   * Message: events {other} and {event} both become struct {value} but differ; expected {expected}
   */
  C_NAME_CLASH_EVENTS_BOTH_BECOME("c-name-clash",
      "events {other} and {event} both become struct {value} but differ; expected "
          + "{expected}",
      "event", "other", "value", "expected"),
  /**
   * Message: fields {member} and {field} of {event} both become {value} in C; expected {expected}
   */
  C_NAME_CLASH_FIELDS_BOTH_BECOME("c-name-clash",
      "fields {member} and {field} of {event} both become {value} in C; expected {expected}",
      "event", "field", "member", "value", "expected"),
  /**
   * Message: field {field} of {event} points to {value}, but another points to {other}; expected
   * {expected}
   */
  C_NAME_CLASH_POINTER("c-name-clash",
      "field {field} of {event} points to {value}, but another points to {other}; expected "
          + "{expected}",
      "event", "field", "value", "other", "expected"),
  /** Message: a pointer to {value} names {other}; expected {expected} */
  C_NAME_CLASH_POINTER_NAMES("c-name-clash",
      "a pointer to {value} names {other}; expected {expected}",
      "event", "value", "other", "expected"),
  /** Message: struct {struct}: member {member} {what}; expected {expected} */
  CANNOT_IMPORT_MEMBER("cannot-import",
      "struct {struct}: member {member} {what}; expected {expected}",
      "struct", "member", "expected", "what"),
  /**
   * Message: struct {struct}: member {index} (anonymous, at bit {offset}) has no name (its type:
   * {member-type}); expected {expected}
   */
  CANNOT_IMPORT_MEMBER_ANONYMOUS_BIT("cannot-import",
      "struct {struct}: member {index} (anonymous, at bit {offset}) has no name (its type: "
          + "{member-type}); expected {expected}",
      "struct", "index", "offset", "expected", "member-type"),
  /**
   * Message: struct {struct}: member {index} has the name {value}, which is not a C identifier;
   * expected {expected}
   */
  CANNOT_IMPORT_MEMBER_NAME_C("cannot-import",
      "struct {struct}: member {index} has the name {value}, which is not a C identifier; "
          + "expected {expected}",
      "struct", "index", "value", "expected"),
  /** Message: {reached}: struct {struct}: member {member} {what}; expected {expected} */
  CANNOT_IMPORT_NESTED_MEMBER("cannot-import",
      "{reached}: struct {struct}: member {member} {what}; expected {expected}",
      "struct", "member", "reached", "expected", "what"),
  /** Message: {reached}: struct {struct} {what}; expected {expected} */
  CANNOT_IMPORT_NESTED_STRUCT("cannot-import",
      "{reached}: struct {struct} {what}; expected {expected}",
      "struct", "reached", "expected", "what"),
  /** Message: struct {struct} {what}; expected {expected} */
  CANNOT_IMPORT_STRUCT("cannot-import",
      "struct {struct} {what}; expected {expected}",
      "struct", "expected", "what"),
  /** Message: struct {value} has a name that is not a C identifier; expected {expected} */
  CANNOT_IMPORT_STRUCT_NAME("cannot-import",
      "struct {value} has a name that is not a C identifier; expected {expected}",
      "struct", "value", "expected"),
  /**
   * Message: perf buffer ring {index} data_head {value} is {ahead} bytes ahead of data_tail
   * {position}; expected {expected}
   */
  CORRUPT_PERF_BUFFER_HEAD_AHEAD("corrupt-perf-buffer",
      "perf buffer ring {index} data_head {value} is {ahead} bytes ahead of data_tail "
          + "{position}; expected {expected}",
      "key", "value", "index", "expected", "behind", "position", "ahead"),
  /**
   * Message: perf buffer ring {index} data_head {value} is {behind} bytes behind data_tail
   * {position}; expected {expected}
   */
  CORRUPT_PERF_BUFFER_HEAD_BEHIND("corrupt-perf-buffer",
      "perf buffer ring {index} data_head {value} is {behind} bytes behind data_tail "
          + "{position}; expected {expected}",
      "key", "value", "index", "expected", "behind", "position", "ahead"),
  /**
   * Message: perf buffer ring {index} lost record at position {position} of {value} bytes has no
   * count; expected {expected}
   */
  CORRUPT_PERF_BUFFER_LOST_RECORD_POSITION("corrupt-perf-buffer",
      "perf buffer ring {index} lost record at position {position} of {value} bytes has no "
          + "count; expected {expected}",
      "key", "value", "index", "expected", "position"),
  /**
   * Message: perf buffer ring {index} record at position {position} claims {value} bytes; expected
   * {expected}
   */
  CORRUPT_PERF_BUFFER_RECORD_POSITION_CLAIMS("corrupt-perf-buffer",
      "perf buffer ring {index} record at position {position} claims {value} bytes; "
          + "expected {expected}",
      "key", "value", "index", "expected", "position"),
  /**
   * Message: perf buffer ring {index} sample at position {position} of {value} bytes has no raw
   * size; expected {expected}
   */
  CORRUPT_PERF_BUFFER_SAMPLE_POSITION_BYTES("corrupt-perf-buffer",
      "perf buffer ring {index} sample at position {position} of {value} bytes has no raw "
          + "size; expected {expected}",
      "key", "value", "index", "expected", "position"),
  /**
   * Message: perf buffer ring {index} sample at position {position} claims {value} raw bytes in a
   * record of {size}; expected {expected}
   */
  CORRUPT_PERF_BUFFER_SAMPLE_POSITION_CLAIMS("corrupt-perf-buffer",
      "perf buffer ring {index} sample at position {position} claims {value} raw bytes in "
          + "a record of {size}; expected {expected}",
      "key", "value", "index", "expected", "position", "size"),
  /**
   * Message: perf buffer ring {index} data_tail {value} is not 8-byte aligned; expected {expected}
   */
  CORRUPT_PERF_BUFFER_TAIL_MISALIGNED("corrupt-perf-buffer",
      "perf buffer ring {index} data_tail {value} is not 8-byte aligned; expected "
          + "{expected}",
      "key", "value", "index", "expected"),
  /** Message: ring buffer consumer position {value} is not 8-byte aligned; expected {expected} */
  CORRUPT_RING_BUFFER_CONSUMER_MISALIGNED("corrupt-ring-buffer",
      "ring buffer consumer position {value} is not 8-byte aligned; expected {expected}",
      "key", "value", "expected"),
  /**
   * Message: ring buffer producer position {value} is {ahead} bytes ahead of consumer position
   * {consumer}; expected {expected}
   */
  CORRUPT_RING_BUFFER_PRODUCER_BYTES_AHEAD("corrupt-ring-buffer",
      "ring buffer producer position {value} is {ahead} bytes ahead of consumer position "
          + "{consumer}; expected {expected}",
      "key", "value", "consumer", "behind", "ahead", "expected"),
  /**
   * Message: ring buffer producer position {value} is {behind} bytes behind consumer position
   * {consumer}; expected {expected}
   */
  CORRUPT_RING_BUFFER_PRODUCER_BYTES_BEHIND("corrupt-ring-buffer",
      "ring buffer producer position {value} is {behind} bytes behind consumer position "
          + "{consumer}; expected {expected}",
      "key", "value", "consumer", "behind", "ahead", "expected"),
  /** Message: ring buffer record at position {offset} claims {value} bytes; expected {expected} */
  CORRUPT_RING_BUFFER_RECORD_CLAIMS_BYTES("corrupt-ring-buffer",
      "ring buffer record at position {offset} claims {value} bytes; expected {expected}",
      "key", "value", "offset", "expected"),
  /** Message: the event file of {events} events would pass {value} {unit}; expected {expected} */
  DEFINITION_TOO_LARGE("definition-too-large",
      "the event file of {events} events would pass {value} {unit}; expected {expected}",
      "value", "events", "expected", "unit"),
  /** Message: two different events are named {event}; expected {expected} */
  DUPLICATE_EVENT("duplicate-event",
      "two different events are named {event}; expected {expected}",
      "event", "value", "expected"),
  /** Message: event {event}: duplicate field {field}; expected {expected} */
  DUPLICATE_FIELD_EVENT("duplicate-field",
      "event {event}: duplicate field {field}; expected {expected}",
      "event", "field", "index", "expected"),
  /** Message: field {field} is given twice; expected {expected} */
  DUPLICATE_FIELD_GIVEN_TWICE("duplicate-field",
      "field {field} is given twice; expected {expected}",
      "field", "value", "expected", "path"),
  /** Message: field {field} overlaps {at}, which is also given; expected {expected} */
  DUPLICATE_FIELD_OVERLAPS_ALSO_GIVEN("duplicate-field",
      "field {field} overlaps {at}, which is also given; expected {expected}",
      "field", "path", "at", "expected"),
  /** Message: field {field} overlaps {other-field}, which has a source too; expected {expected} */
  DUPLICATE_FIELD_OVERLAPS_SOURCE_TOO("duplicate-field",
      "field {field} overlaps {other-field}, which has a source too; expected {expected}",
      "field", "value", "expected", "other-field"),
  /** Message: label {value} is defined twice; expected {expected} */
  DUPLICATE_LABEL("duplicate-label",
      "label {value} is defined twice; expected {expected}",
      "value", "expected"),
  /** Message: event {event} has {value} bytes; expected {expected} */
  EMPTY_EVENT("empty-event",
      "event {event} has {value} bytes; expected {expected}",
      "event", "value", "expected"),
  /**
   * Message: epoll cannot be used here: {reason}; expected {expected} (Waiter.backoff() works
   * everywhere)
   */
  EPOLL_UNAVAILABLE("epoll-unavailable",
      "epoll cannot be used here: {reason}; expected {expected} (Waiter.backoff() works "
          + "everywhere)",
      "reason", "expected"),
  /** Message: event {event} has {value} bytes; expected {expected} */
  EVENT_TOO_LARGE("event-too-large",
      "event {event} has {value} bytes; expected {expected}",
      "event", "value", "expected"),
  /** Message: event {event} reaches {value} bytes at its {shown-name}; expected {expected} */
  EVENT_TOO_LARGE_AT_MEMBER("event-too-large",
      "event {event} reaches {value} bytes at its {shown-name}; expected {expected}",
      "event", "value", "expected", "shown-name"),
  /** Message: event {event} reaches {value} bytes; expected {expected} */
  EVENT_TOO_LARGE_REACHES("event-too-large",
      "event {event} reaches {value} bytes; expected {expected}",
      "event", "field", "value", "expected"),
  /** Message: event {event} reaches {value} bytes at field {field}; expected {expected} */
  EVENT_TOO_LARGE_REACHES_FIELD("event-too-large",
      "event {event} reaches {value} bytes at field {field}; expected {expected}",
      "event", "field", "value", "expected"),
  /** Message: a {event} record of {value} bytes cannot be made here; expected {expected} */
  EVENT_TOO_LARGE_RECORD_MADE_HERE("event-too-large",
      "a {event} record of {value} bytes cannot be made here; expected {expected}",
      "event", "value", "expected"),
  /**
   * Message: field {field} is big-endian ({type}), but {helper} gives a number in the machine's
   * order; expected {expected}
   */
  FIELD_TOO_SMALL_BIG_ENDIAN("field-too-small",
      "field {field} is big-endian ({type}), but {helper} gives a number in the machine's "
          + "order; expected {expected}",
      "field", "type", "value", "expected", "helper"),
  /** Message: field {field} has {value} bytes, too few for {what}; expected {expected} */
  FIELD_TOO_SMALL_BYTES_FEW("field-too-small",
      "field {field} has {value} bytes, too few for {what}; expected {expected}",
      "field", "value", "need", "expected", "what"),
  /**
   * Message: {program} programs cannot use {helper} (the verifier: "program of this type cannot use
   * helper {helper}"); it is allowed in {accepted}
   */
  HELPER_NOT_ALLOWED("helper-not-allowed",
      "{program} programs cannot use {helper} (the verifier: \"program of this type cannot "
          + "use helper {helper}\"); it is allowed in {accepted}",
      "program", "value", "expected", "accepted", "helper"),
  /**
   * Message: {program} programs are sleepable, and "Sleepable programs can only use array, hash,
   * ringbuf and local storage maps" (the verifier), not a perf event array; send through the ring
   * buffer instead
   */
  HELPER_NOT_ALLOWED_SLEEPABLE("helper-not-allowed",
      "{program} programs are sleepable, and \"Sleepable programs can only use array, "
          + "hash, ringbuf and local storage maps\" (the verifier), not a perf event array; send "
          + "through the ring buffer instead",
      "program", "value", "expected"),
  /** Message: immediate {value} does not fit a {width}-byte store; expected {expected}{hint} */
  IMMEDIATE_OUT_OF_RANGE("immediate-out-of-range",
      "immediate {value} does not fit a {width}-byte store; expected {expected}{hint}",
      "value", "width", "expected", "hint"),
  /** Message: immediate {value} does not fit an {width}-byte store; expected {expected}{hint} */
  IMMEDIATE_OUT_OF_RANGE_64("immediate-out-of-range",
      "immediate {value} does not fit an {width}-byte store; expected {expected}{hint}",
      "value", "width", "expected", "hint"),
  /**
   * Message: field {field}: immediate {value} is not a 64-bit integer; expected an integer the
   * field's store can write
   */
  IMMEDIATE_OUT_OF_RANGE_FIELD_BIT_INTEGER("immediate-out-of-range",
      "field {field}: immediate {value} is not a 64-bit integer; expected an integer the "
          + "field's store can write",
      "field", "value", "expected"),
  /**
   * Message: field {field}: immediate {value} is not an integer from -2^63 to 2^64-1; expected an
   * integer that the field's store can write
   */
  IMMEDIATE_OUT_OF_RANGE_FIELD_INTEGER("immediate-out-of-range",
      "field {field}: immediate {value} is not an integer from -2^63 to 2^64-1; expected "
          + "an integer that the field's store can write",
      "field", "value", "expected"),
  /**
   * Message: immediate {value} cannot be stored in network order by a 64-bit st: its byte-swapped
   * form {swapped} does not fit the sign-extended 32-bit immediate; load the swapped value into a
   * register with lddw and store the register instead
   */
  IMMEDIATE_OUT_OF_RANGE_STORED_NETWORK_ORDER("immediate-out-of-range",
      "immediate {value} cannot be stored in network order by a 64-bit st: its "
          + "byte-swapped form {swapped} does not fit the sign-extended 32-bit immediate; load "
          + "the swapped value into a register with lddw and store the register instead",
      "value", "width", "expected", "swapped"),
  /** Message: index {value} is outside {at}, an array of {count}; expected {expected} */
  INDEX_OUT_OF_RANGE("index-out-of-range",
      "index {value} is outside {at}, an array of {count}; expected {expected}",
      "path", "at", "value", "count", "expected"),
  /** Message: instruction {key} {value} is out of range; expected {expected} */
  INSN_FIELD_OUT_OF_RANGE("insn-field-out-of-range",
      "instruction {key} {value} is out of range; expected {expected}",
      "key", "value", "expected"),
  /**
   * Message: malformed defevent form: a form whose shape the namespace's spec refuses
   * where the definition itself finds nothing wrong.
   */
  MALFORMED_DEFEVENT("bad-defevent",
      "malformed defevent form",
      "expected"),
  /**
   * Message: field {field} at offset {value} would be stored on the stack unaligned, which the
   * verifier refuses ("misaligned stack access"); expected {expected}: lay the event out {align
   * :natural}, or send it with bpf_ringbuf_reserve
   */
  MISALIGNED_FIELD("misaligned-field",
      "field {field} at offset {value} would be stored on the stack unaligned, which the "
          + "verifier refuses (\"misaligned stack access\"); expected {expected}: lay the event "
          + "out {align :natural}, or send it with bpf_ringbuf_reserve",
      "field", "value", "expected"),
  /** Message: assembler dialect is null; expected an AsmDialect */
  MISSING_ARGUMENT_ASSEMBLER_DIALECT_NULL("missing-argument",
      "assembler dialect is null; expected an AsmDialect",
      "key", "value", "expected"),
  /** Message: data model is null; expected {expected} */
  MISSING_ARGUMENT_DATA_MODEL_NULL("missing-argument",
      "data model is null; expected {expected}",
      "key", "value", "expected"),
  /** Message: drain loop {key} is null; expected {expected} */
  MISSING_ARGUMENT_DRAIN_LOOP_NULL("missing-argument",
      "drain loop {key} is null; expected {expected}",
      "key", "value", "expected"),
  /** Message: host values are null; expected {expected} */
  MISSING_ARGUMENT_HOST_VALUES_NULL("missing-argument",
      "host values are null; expected {expected}",
      "value", "expected"),
  /** Message: instruction {what} is null; expected a {what} */
  MISSING_ARGUMENT_INSTRUCTION_NULL("missing-argument",
      "instruction {what} is null; expected a {what}",
      "key", "value", "expected", "what"),
  /** Message: kernel path pointer register is null; expected {expected} */
  MISSING_ARGUMENT_KERNEL_PATH_POINTER("missing-argument",
      "kernel path pointer register is null; expected {expected}",
      "key", "value", "expected"),
  /** Message: the map is not given; expected {expected} */
  MISSING_ARGUMENT_MAP_GIVEN("missing-argument",
      "the map is not given; expected {expected}",
      "key", "value", "expected"),
  /** Message: {what} is null; expected a {what} */
  MISSING_ARGUMENT_NULL("missing-argument",
      "{what} is null; expected a {what}",
      "key", "value", "expected", "what"),
  /** Message: opcode {key} is null; expected {expected} */
  MISSING_ARGUMENT_OPCODE_NULL("missing-argument",
      "opcode {key} is null; expected {expected}",
      "key", "value", "expected"),
  /** Message: perf buffer record handler is null; expected {expected} */
  MISSING_ARGUMENT_PERF_BUFFER_RECORD("missing-argument",
      "perf buffer record handler is null; expected {expected}",
      "key", "value", "expected"),
  /** Message: perf output needs the context register; expected {expected} */
  MISSING_ARGUMENT_PERF_OUTPUT_NEEDS("missing-argument",
      "perf output needs the context register; expected {expected}",
      "key", "value", "expected"),
  /** Message: the program type is not given; expected {expected} */
  MISSING_ARGUMENT_PROGRAM_TYPE_GIVEN("missing-argument",
      "the program type is not given; expected {expected}",
      "key", "value", "expected", "accepted"),
  /** Message: ring buffer record handler is null; expected {expected} */
  MISSING_ARGUMENT_RING_BUFFER_RECORD("missing-argument",
      "ring buffer record handler is null; expected {expected}",
      "key", "value", "expected"),
  /** Message: field {field}: the source's register is null; expected {expected} */
  MISSING_ARGUMENT_SOURCE_REGISTER("missing-argument",
      "field {field}: the source's register is null; expected {expected}",
      "field", "key", "value", "expected"),
  /** Message: store {what} is null; expected a {what} */
  MISSING_ARGUMENT_STORE_NULL("missing-argument",
      "store {what} is null; expected a {what}",
      "key", "value", "expected", "what"),
  /** Message: {source} has no {section} section; expected {expected} */
  NO_BTF("no-btf",
      "{source} has no {section} section; expected {expected}",
      "source", "value", "expected", "section"),
  /** Message: {value} holds no event definitions; expected one or a sequence of them */
  NO_EVENTS_HOLDS_EVENT_DEFINITIONS("no-events",
      "{value} holds no event definitions; expected one or a sequence of them",
      "value", "expected"),
  /** Message: no structs to import; expected {expected} */
  NO_EVENTS_STRUCTS_IMPORT("no-events",
      "no structs to import; expected {expected}",
      "value", "expected"),
  /**
   * Message: struct names {value} are not a collection of strings or symbols; expected from 1 to
   * <code>HostQueries.MAX_NAMES</code> struct names
   */
  NO_EVENTS_STRUCT_NAMES_COLLECTION("no-events",
      "struct names {value} are not a collection of strings or symbols; expected from 1 to "
          + HostQueries.MAX_NAMES + " struct names",
      "value", "expected"),
  /** Message: no events to write BTF for; expected at least one event */
  NO_EVENTS_WRITE_BTF("no-events",
      "no events to write BTF for; expected at least one event",
      "value", "expected"),
  /** Message: no events to write definitions for; expected {expected} */
  NO_EVENTS_WRITE_DEFINITIONS("no-events",
      "no events to write definitions for; expected {expected}",
      "value", "expected"),
  /** Message: no events to write a header for; expected at least one event */
  NO_EVENTS_WRITE_HEADER("no-events",
      "no events to write a header for; expected at least one event",
      "value", "expected"),
  /** Message: event {event} declares no fields; expected {expected} */
  NO_FIELDS("no-fields",
      "event {event} declares no fields; expected {expected}",
      "event", "value", "expected"),
  /** Message: buffer is null; expected {expected} */
  NOT_A_BUFFER("not-a-buffer",
      "buffer is null; expected {expected}",
      "field", "value", "expected"),
  /** Message: bytes are null; expected {expected} */
  NOT_A_BUFFER_BYTES("not-a-buffer",
      "bytes are null; expected {expected}",
      "value", "expected"),
  /** Message: {value} is not a byte array or a ByteBuffer; expected one of them */
  NOT_A_BUFFER_BYTE_ARRAY("not-a-buffer",
      "{value} is not a byte array or a ByteBuffer; expected one of them",
      "value", "expected"),
  /** Message: field handle is null; expected {expected} */
  NOT_A_HANDLE("not-a-handle",
      "field handle is null; expected {expected}",
      "value", "expected"),
  /** Message: report is null; expected {expected} */
  NOT_A_REPORT("not-a-report",
      "report is null; expected {expected}",
      "value", "expected"),
  /** Message: field {field} is not a scalar; expected {expected} */
  NOT_A_SCALAR("not-a-scalar",
      "field {field} is not a scalar; expected {expected}",
      "field", "value", "expected"),
  /** Message: field {field} is an event, not a scalar; expected {expected} */
  NOT_A_SCALAR_EVENT("not-a-scalar",
      "field {field} is an event, not a scalar; expected {expected}",
      "field", "expected"),
  /** Message: field {field} is an event ({event}), not a scalar; expected {expected} */
  NOT_A_SCALAR_NAMED_EVENT("not-a-scalar",
      "field {field} is an event ({event}), not a scalar; expected {expected}",
      "field", "path", "event", "expected", "accepted"),
  /** Message: {value} is not a sequence of instructions and labels; expected a vector */
  NOT_A_LINKABLE_PROGRAM("not-a-sequence",
      "{value} is not a sequence of instructions and labels; expected a vector",
      "value", "expected"),
  /** Message: {value} is not a sequence of instructions; expected a vector */
  NOT_A_PROGRAM("not-a-sequence",
      "{value} is not a sequence of instructions; expected a vector",
      "value", "expected"),
  /** Message: event is null; expected {expected} */
  NOT_AN_EVENT("not-an-event",
      "event is null; expected {expected}",
      "value", "expected"),
  /** Message: BTF is null; expected {expected} */
  NOT_AN_EVENT_BTF("not-an-event",
      "BTF is null; expected {expected}",
      "value", "expected"),
  /**
   * Message: {value} is not an event definition; expected the result of make-event-def or defevent
   */
  NOT_AN_EVENT_DEFINITION("not-an-event",
      "{value} is not an event definition; expected the result of make-event-def or "
          + "defevent",
      "value", "expected"),
  /** Message: {what} is null; expected an event layout */
  NOT_AN_EVENT_LAYOUT("not-an-event",
      "{what} is null; expected an event layout",
      "value", "expected", "what"),
  /** Message: the event is null; expected an event layout */
  NOT_AN_EVENT_NULL("not-an-event",
      "the event is null; expected an event layout",
      "value", "expected"),
  /** Message: instruction is null; expected an instruction */
  NOT_AN_INSTRUCTION("not-an-instruction",
      "instruction is null; expected an instruction",
      "value", "expected"),
  /** Message: element {index} is null; expected {expected} */
  NOT_AN_INSTRUCTION_ELEMENT("not-an-instruction",
      "element {index} is null; expected {expected}",
      "index", "value", "expected"),
  /** Message: element {index} is {value}; expected {expected} */
  NOT_AN_INSTRUCTION_MAP("not-an-instruction",
      "element {index} is {value}; expected {expected}",
      "index", "value", "expected"),
  /** Message: element {index} is {value}; its fields do not fit the encoding */
  NOT_AN_INSTRUCTION_ELEMENT_FIELDS_FIT("not-an-instruction",
      "element {index} is {value}; its fields do not fit the encoding",
      "index", "value", "expected"),
  /**
   * Message: element {index} is not an instruction: instruction {key} {bits} is out of range;
   * expected {expected}
   */
  NOT_AN_INSTRUCTION_ELEMENT_OUT_RANGE("not-an-instruction",
      "element {index} is not an instruction: instruction {key} {bits} is out of range; "
          + "expected {expected}",
      "index", "value", "key", "bits", "expected"),
  /** Message: instructions are null; expected a list of instructions */
  NOT_AN_INSTRUCTION_INSTRUCTIONS("not-an-instruction",
      "instructions are null; expected a list of instructions",
      "value", "expected"),
  /** Message: instructions are null; expected {expected} */
  NOT_AN_INSTRUCTION_LIST_NULL("not-an-instruction",
      "instructions are null; expected {expected}",
      "value", "expected"),
  /** Message: program slot is null; expected {expected} */
  NOT_AN_INSTRUCTION_PROGRAM_SLOT("not-an-instruction",
      "program slot is null; expected {expected}",
      "value", "expected"),
  /** Message: the view holds no record; expected wrap(buffer, offset) first */
  NOT_WRAPPED("not-wrapped",
      "the view holds no record; expected wrap(buffer, offset) first",
      "expected"),
  /**
   * Message: offset {value} does not fit the instruction's signed 16 bits; expected -32768 to 32767
   */
  OFFSET_OUT_OF_RANGE("offset-out-of-range",
      "offset {value} does not fit the instruction's signed 16 bits; expected -32768 to "
          + "32767",
      "value", "expected"),
  /** Message: field {field}: kernel read offset {value} does not fit; expected {expected} */
  OFFSET_OUT_OF_RANGE_FIELD_KERNEL_READ("offset-out-of-range",
      "field {field}: kernel read offset {value} does not fit; expected {expected}",
      "field", "value", "expected"),
  /**
   * Message: field {field}: offset {value} is not a signed 32-bit integer; expected an integer from
   * {min-value} to {max-value}
   */
  OFFSET_OUT_OF_RANGE_FIELD_SIGNED_BIT("offset-out-of-range",
      "field {field}: offset {value} is not a signed 32-bit integer; expected an integer "
          + "from {min-value} to {max-value}",
      "field", "value", "expected", "min-value", "max-value"),
  /** Message: jump to label {label} is {value} slots away; expected {expected} */
  JUMP_TOO_FAR("offset-out-of-range",
      "jump to label {label} is {value} slots away; expected {expected}",
      "value", "expected", "label"),
  /** Message: jump to label {show} is {value} slots away; expected {expected} */
  JUMP_TOO_FAR_SHOWN("offset-out-of-range",
      "jump to label {show} is {value} slots away; expected {expected}",
      "value", "expected", "show"),
  /** Message: kernel offset {value} does not fit an immediate; expected {expected} */
  OFFSET_OUT_OF_RANGE_KERNEL_FIT_IMMEDIATE("offset-out-of-range",
      "kernel offset {value} does not fit an immediate; expected {expected}",
      "value", "expected"),
  /**
   * Message: fields {member} and {field} of {event} would write the same bytes; expected {expected}
   */
  OVERLAPPING_FIELDS("overlapping-fields",
      "fields {member} and {field} of {event} would write the same bytes; expected "
          + "{expected}",
      "field", "path", "member", "event", "expected"),
  /** Message: buffer {value} is read-only; expected {expected} */
  READ_ONLY_BUFFER("read-only-buffer",
      "buffer {value} is read-only; expected {expected}",
      "value", "expected"),
  /**
   * Message: register {register} cannot hold {role}: {why}; the fragment keeps its values in r6 to
   * r9 across helper calls; expected {expected}
   */
  REGISTER_COLLISION("register-collision",
      "register {register} cannot hold {role}: {why}; the fragment keeps its values in r6 "
          + "to r9 across helper calls; expected {expected}",
      "register", "value", "expected", "role", "why"),
  /**
   * Message: event {event} on the stack needs the stack down to fp - {value}; expected {expected};
   * send a large record with bpf_ringbuf_reserve
   */
  STACK_TOO_SMALL("stack-too-small",
      "event {event} on the stack needs the stack down to fp - {value}; expected "
          + "{expected}; send a large record with bpf_ringbuf_reserve",
      "event", "value", "expected"),
  /** Message: event {event}: field {field} nests events {value} deep; expected {expected} */
  TOO_DEEP("too-deep",
      "event {event}: field {field} nests events {value} deep; expected {expected}",
      "event", "field", "index", "value", "expected", "shown-name"),
  /** Message: event {event}: its {shown-name} nests events {value} deep; expected {expected} */
  TOO_DEEP_MEMBER("too-deep",
      "event {event}: its {shown-name} nests events {value} deep; expected {expected}",
      "event", "field", "index", "value", "expected", "shown-name"),
  /**
   * Message: event {value} nests events more than <code>LayoutEngine.MAX_DEPTH</code> deep (or
   * holds itself); expected {expected}
   */
  TOO_DEEP_MORE_HOLDS_ITSELF("too-deep",
      "event {value} nests events more than " + LayoutEngine.MAX_DEPTH
          + " deep (or holds itself); expected {expected}",
      "value", "expected"),
  /**
   * Message: instructions nested more than <code>InsnReader.MAX_NESTING</code> sequences deep;
   * expected at most <code>InsnReader.MAX_NESTING</code>
   */
  TOO_DEEPLY_NESTED("too-deeply-nested",
      "instructions nested more than " + InsnReader.MAX_NESTING
          + " sequences deep; expected at most " + InsnReader.MAX_NESTING,
      "value", "expected"),
  /**
   * Message: more than <code>LayoutEngine.MAX_FIELDS</code> event definitions; expected at most
   * <code>LayoutEngine.MAX_FIELDS</code>
   */
  TOO_MANY_EVENTS("too-many-events",
      "more than " + LayoutEngine.MAX_FIELDS + " event definitions; expected at most "
          + LayoutEngine.MAX_FIELDS,
      "value", "expected"),
  /** Message: event {event} declares {value} fields; expected {expected} */
  TOO_MANY_FIELDS("too-many-fields",
      "event {event} declares {value} fields; expected {expected}",
      "event", "value", "expected"),
  /**
   * Message: event {event} declares more than <code>LayoutEngine.MAX_FIELDS</code> fields; expected
   * {expected}
   */
  TOO_MANY_FIELDS_DECLARED("too-many-fields",
      "event {event} declares more than " + LayoutEngine.MAX_FIELDS
          + " fields; expected {expected}",
      "event", "value", "expected", "line"),
  /** Message: {value} instructions are too many; expected {expected} */
  TOO_MANY_INSTRUCTIONS("too-many-instructions",
      "{value} instructions are too many; expected {expected}",
      "value", "expected"),
  /**
   * Message: more than {value} {what}; expected at most {value} instructions, the kernel's limit on
   * a program
   */
  TOO_MANY_INSTRUCTIONS_MORE("too-many-instructions",
      "more than {value} {what}; expected at most {value} instructions, the kernel's limit "
          + "on a program",
      "value", "expected", "what"),
  /**
   * Message: more than {value} instructions, labels and sequences; expected at most {value}, the
   * kernel's limit on a program
   */
  TOO_MANY_INSTRUCTIONS_MORE_LABELS_SEQUENCES("too-many-instructions",
      "more than {value} instructions, labels and sequences; expected at most {value}, the "
          + "kernel's limit on a program",
      "value", "expected"),
  /** Message: no instruction at byte {value} of {length} bytes; expected 8 bytes from the offset */
  TRUNCATED_INSTRUCTION("truncated-instruction",
      "no instruction at byte {value} of {length} bytes; expected 8 bytes from the offset",
      "value", "length", "expected"),
  /** Message: bytes are null; expected a byte array */
  TRUNCATED_INSTRUCTION_NULL("truncated-instruction",
      "bytes are null; expected a byte array",
      "value", "expected"),
  /** Message: event {event} is not declared in {source}; expected {expected} */
  UNKNOWN_EVENT("unknown-event",
      "event {event} is not declared in {source}; expected {expected}",
      "event", "source", "line", "expected"),
  /** Message: event {event} has no field {field}; expected {expected} */
  UNKNOWN_FIELD("unknown-field",
      "event {event} has no field {field}; expected {expected}",
      "field", "value", "path", "event", "expected", "accepted", "at"),
  /**
   * Message: Unknown field: {written}; {reason}: a store's unknown field as clj-ebpf
   * words it, the core's own error (its data kept) as the reason.
   */
  UNKNOWN_FIELD_IN_STORE("unknown-field",
      "Unknown field: {written}; {reason}",
      "field", "value", "path", "event", "expected", "accepted", "at", "available-fields",
      "written", "reason"),
  /**
   * Message: field {show} is not a field name or path; expected a keyword or a vector of keywords
   * and indices
   */
  NOT_A_FIELD_NAME_SHOWN("unknown-field",
      "field {show} is not a field name or path; expected a keyword or a vector of "
          + "keywords and indices",
      "field", "expected", "show"),
  /**
   * Message: field {value} is not a field name or path; expected a keyword or a vector of keywords
   * and indices
   */
  NOT_A_FIELD_NAME("unknown-field",
      "field {value} is not a field name or path; expected a keyword or a vector of "
          + "keywords and indices",
      "field", "value", "expected"),
  /** Message: path {at} (event {event}) has no field {field}; expected {expected} */
  UNKNOWN_FIELD_ON_PATH("unknown-field",
      "path {at} (event {event}) has no field {field}; expected {expected}",
      "field", "path", "at", "event", "expected", "accepted"),
  /** Message: path {path} names no field of {event}; expected {expected} */
  UNKNOWN_FIELD_PATH("unknown-field",
      "path {path} names no field of {event}; expected {expected}",
      "path", "event", "expected", "accepted"),
  /** Message: key {value} of a record of {event} is not a field name; expected {expected} */
  UNKNOWN_FIELD_RECORD_KEY("unknown-field",
      "key {value} of a record of {event} is not a field name; expected {expected}",
      "field", "value", "path", "event", "expected", "accepted"),
  /** Message: jump to label {value}, which the program does not define; expected {expected} */
  UNKNOWN_LABEL("unknown-label",
      "jump to label {value}, which the program does not define; expected {expected}",
      "value", "expected", "accepted"),
  /** Message: kernel path {path}: {struct} has no member {member}; expected {expected} */
  UNKNOWN_MEMBER("unknown-member",
      "kernel path {path}: {struct} has no member {member}; expected {expected}",
      "value", "path", "struct", "member", "expected", "accepted"),
  /** Message: unknown program type {value}; expected {expected} */
  UNKNOWN_PROGRAM_TYPE("unknown-program-type",
      "unknown program type {value}; expected {expected}",
      "value", "expected", "accepted"),
  /** Message: unknown register {register}; expected {expected} */
  UNKNOWN_REGISTER("unknown-register",
      "unknown register {register}; expected {expected}",
      "register", "expected", "accepted"),
  /** Message: register is null; expected {expected} */
  UNKNOWN_REGISTER_NULL("unknown-register",
      "register is null; expected {expected}",
      "register", "expected", "accepted"),
  /** Message: register number {value} is not a BPF register; expected {expected} */
  UNKNOWN_REGISTER_NUMBER("unknown-register",
      "register number {value} is not a BPF register; expected {expected}",
      "value", "expected"),
  /** Message: field {field} has no source; expected {expected} */
  UNKNOWN_SOURCE("unknown-source",
      "field {field} has no source; expected {expected}",
      "field", "value", "expected"),
  /** Message: field {field} has no helper value; expected {expected} */
  UNKNOWN_SOURCE_HELPER_VALUE("unknown-source",
      "field {field} has no helper value; expected {expected}",
      "field", "value", "expected"),
  /** Message: field {field} has source {value}, which is not a source; expected {expected} */
  UNKNOWN_SOURCE_SHAPE("unknown-source",
      "field {field} has source {value}, which is not a source; expected {expected}",
      "field", "value", "expected", "accepted"),
  /** Message: {source} has no struct {struct}{holds}; expected {expected} */
  UNKNOWN_STRUCT("unknown-struct",
      "{source} has no struct {struct}{holds}; expected {expected}",
      "source", "struct", "value", "expected", "holds"),
  /** Message: {source} has no struct (empty name){holds}; expected {expected} */
  UNKNOWN_STRUCT_EMPTY_NAME("unknown-struct",
      "{source} has no struct (empty name){holds}; expected {expected}",
      "source", "struct", "value", "expected", "holds"),
  /** Message: struct name {value} is not a name; expected {expected} */
  UNKNOWN_STRUCT_NAME("unknown-struct",
      "struct name {value} is not a name; expected {expected}",
      "value", "expected"),
  /** Message: struct name is null; expected {expected} */
  UNKNOWN_STRUCT_NAME_NULL("unknown-struct",
      "struct name is null; expected {expected}",
      "struct", "value", "expected"),
  /** Message: unknown type {type}; expected {expected} */
  UNKNOWN_TYPE("unknown-type",
      "unknown type {type}; expected {expected}",
      "type", "expected", "accepted"),
  /** Message: event {event}: field {field} has unknown type {type}; expected {expected} */
  UNKNOWN_TYPE_EVENT_FIELD("unknown-type",
      "event {event}: field {field} has unknown type {type}; expected {expected}",
      "event", "field", "index", "type", "expected", "accepted", "line"),
  /** Message: field {field} has no type; expected {expected} */
  UNKNOWN_TYPE_FIELD("unknown-type",
      "field {field} has no type; expected {expected}",
      "field", "type", "expected", "accepted"),
  /**
   * Message: field {field} has type {type}, which is not an event declared above it; expected
   * {expected}
   */
  UNKNOWN_TYPE_FIELD_EVENT_DECLARED("unknown-type",
      "field {field} has type {type}, which is not an event declared above it; expected "
          + "{expected}",
      "field", "type", "expected", "accepted"),
  /** Message: cannot read {source}: {why} */
  UNREADABLE_EVENT_FILE("unreadable-file",
      "cannot read {source}: {why}",
      "source", "line", "why"),
  /** Message: cannot read {source}: {why}; expected {expected} */
  UNREADABLE_FILE("unreadable-file",
      "cannot read {source}: {why}; expected {expected}",
      "source", "expected", "why"),
  /** Message: cannot read {value}: {get-reason} */
  UNREADABLE_PATH("unreadable-file",
      "cannot read {value}: {get-reason}",
      "value", "expected", "get-reason"),
  /**
   * Message: lddw at instruction {index} ({value}) is the last slot and has no second slot;
   * expected {expected}
   */
  UNSUPPORTED_INSTRUCTION_LDDW_LAST_SLOT("unsupported-instruction",
      "lddw at instruction {index} ({value}) is the last slot and has no second slot; "
          + "expected {expected}",
      "index", "value", "expected"),
  /** Message: cannot print {value} as assembler text: {reason}; expected {expected} */
  UNSUPPORTED_INSTRUCTION_PRINT_ASSEMBLER_TEXT("unsupported-instruction",
      "cannot print {value} as assembler text: {reason}; expected {expected}",
      "value", "expected", "reason"),
  /** Message: cannot print null as assembler text; expected an instruction */
  UNSUPPORTED_INSTRUCTION_PRINT_NULL_ASSEMBLER("unsupported-instruction",
      "cannot print null as assembler text; expected an instruction",
      "value", "expected"),
  /**
   * Message: instruction {second}, the second slot of the lddw at instruction {first}, is {value};
   * expected {expected}
   */
  UNSUPPORTED_INSTRUCTION_SECOND_SLOT_LDDW("unsupported-instruction",
      "instruction {second}, the second slot of the lddw at instruction {first}, is "
          + "{value}; expected {expected}",
      "index", "value", "expected", "second", "first"),
  /** Message: event {event}: {path} is not supported for {use} yet; expected {expected} */
  UNSUPPORTED_MEMBER("unsupported-member",
      "event {event}: {path} is not supported for {use} yet; expected {expected}",
      "event", "path", "value", "expected", "use"),
  /**
   * Message: bitfield {field} of {type} is {value} bits wide, which no store of a register or an
   * immediate fills; expected {expected}
   */
  UNSUPPORTED_MEMBER_BITFIELD_BITS_WIDE("unsupported-member",
      "bitfield {field} of {type} is {value} bits wide, which no store of a register or an "
          + "immediate fills; expected {expected}",
      "field", "path", "type", "value", "expected"),
  /**
   * Message: bitfield {field}: the 32-bit word at {value} around its bits reaches past the record;
   * expected {expected}
   */
  UNSUPPORTED_MEMBER_BITFIELD_BIT_WORD("unsupported-member",
      "bitfield {field}: the 32-bit word at {value} around its bits reaches past the "
          + "record; expected {expected}",
      "field", "value", "expected"),
  /**
   * Message: field {field} is an array of no elements, which a store cannot write; expected
   * {expected}
   */
  UNSUPPORTED_MEMBER_FIELD_ARRAY_ELEMENTS("unsupported-member",
      "field {field} is an array of no elements, which a store cannot write; expected "
          + "{expected}",
      "field", "path", "value", "expected"),
  /**
   * Message: field {field} is a bitfield, which one store of whole bytes cannot write; expected
   * {expected}
   */
  UNSUPPORTED_MEMBER_FIELD_BITFIELD_ONE("unsupported-member",
      "field {field} is a bitfield, which one store of whole bytes cannot write; expected "
          + "{expected}",
      "field", "path", "value", "expected"),
  /**
   * Message: field {field} is a bitfield that shares its bytes with other bits, which stores of
   * zero would change; expected {expected}
   */
  UNSUPPORTED_MEMBER_FIELD_BITFIELD_SHARES("unsupported-member",
      "field {field} is a bitfield that shares its bytes with other bits, which stores of "
          + "zero would change; expected {expected}",
      "field", "path", "value", "expected"),
  /**
   * Message: field {field} is {type} (16 bytes), which no one BPF store writes; expected {expected}
   */
  UNSUPPORTED_MEMBER_FIELD_BYTES_ONE("unsupported-member",
      "field {field} is {type} (16 bytes), which no one BPF store writes; expected "
          + "{expected}",
      "field", "path", "type", "value", "expected"),
  /** Message: epoll waiter is closed; expected {expected} */
  WAIT_FAILED_CLOSED("wait-failed",
      "epoll waiter is closed; expected {expected}",
      "key", "value", "expected"),
  /** Message: {call} failed with errno {errno}; expected {expected} */
  WAIT_FAILED_ERRNO("wait-failed",
      "{call} failed with errno {errno}; expected {expected}",
      "key", "value", "errno", "expected", "call"),
  /** Message: {call} of fd {value} failed with errno {errno}; expected {expected} */
  WAIT_FAILED_FD_ERRNO("wait-failed",
      "{call} of fd {value} failed with errno {errno}; expected {expected}",
      "key", "value", "errno", "expected", "call"),
  /** Message: field {field} is {type}; expected {expected} */
  WRONG_TYPE("wrong-type",
      "field {field} is {type}; expected {expected}",
      "field", "type", "getter", "expected"),
  /** Message: field {field} is a bitfield of {value} bits of {type}; expected {expected} */
  WRONG_TYPE_BITFIELD_BITS("wrong-type",
      "field {field} is a bitfield of {value} bits of {type}; expected {expected}",
      "field", "type", "getter", "value", "expected");

  /** A place in a template, {@code {field}}, or an escaped brace, <code>{{</code>. */
  private static final Pattern PLACE = Pattern.compile("\\{\\{|\\{([a-z][a-z0-9-]*)\\}");

  /** The kind of mistake, shared by the entries that report it. */
  private final String code;
  /** The message with {@code {key}} places. */
  private final String template;
  /** The data keys an error of this entry may hold, besides {@code "problem"}. */
  private final List<String> keys;

  Problem(String code, String template, String... keys) {
    this.code = code;
    this.template = template;
    this.keys = List.of(keys);
  }

  /**
   * The problem's code, for example {@code "unknown-field"}.
   *
   * @return the code, as {@link BpfEventsException#problem()} gives it
   */
  public String code() {
    return code;
  }

  /**
   * The message template, with {@code {key}} places filled from the data.
   *
   * @return the template
   */
  public String template() {
    return template;
  }

  /**
   * The data keys an error of this entry may hold, besides {@code "problem"}, in the order
   * its sites add them.
   *
   * @return an unmodifiable list
   */
  public List<String> keys() {
    return keys;
  }

  /**
   * The keys the template shows, in the order it shows them first.
   *
   * @return an unmodifiable list
   */
  public List<String> places() {
    List<String> out = new ArrayList<>();
    Matcher m = PLACE.matcher(template);
    while (m.find()) {
      if (m.group(1) != null && !out.contains(m.group(1))) {
        out.add(m.group(1));
      }
    }
    return Collections.unmodifiableList(out);
  }

  /**
   * Starts an error of this entry with its first data entry:
   * {@code Problem.NO_FIELDS.with("event", name)}.
   *
   * @param key the entry's name, one of {@link #keys()}
   * @param value the entry's value
   * @return the builder; {@link BpfEventsException.Builder#build()} finishes it
   */
  public BpfEventsException.Builder with(String key, Object value) {
    return BpfEventsException.of(this).with(key, value);
  }

  /**
   * An error of this entry with no data but its code.
   *
   * @return the exception, to be thrown by the caller
   */
  public BpfEventsException build() {
    return BpfEventsException.of(this).build();
  }

  /**
   * Whether data with these keys suits this entry: it holds every place of the template
   * and only keys the entry declares. Errors are checked when they are built with
   * assertions enabled.
   *
   * @param present the data's keys, {@code "problem"} among them
   * @return true
   * @throws AssertionError naming the missing or undeclared keys otherwise
   */
  boolean check(Set<String> present) {
    List<String> missing = new ArrayList<>();
    for (String place : places()) {
      if (!present.contains(place)) {
        missing.add(place);
      }
    }
    List<String> undeclared = new ArrayList<>();
    for (String key : present) {
      if (!key.equals("problem") && !keys.contains(key)) {
        undeclared.add(key);
      }
    }
    if (!missing.isEmpty() || !undeclared.isEmpty()) {
      throw new AssertionError("Problem." + name() + ": the data lacks " + missing
          + " and holds undeclared " + undeclared);
    }
    return true;
  }
}
