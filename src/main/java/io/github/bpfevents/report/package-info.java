/**
 * The layout report: members, holes, padding, cache lines and misaligned fields of an
 * event ({@link io.github.bpfevents.report.LayoutReport}), and its text in the style of
 * {@code pahole} ({@link io.github.bpfevents.report.PaholeText}).
 */
package io.github.bpfevents.report;
