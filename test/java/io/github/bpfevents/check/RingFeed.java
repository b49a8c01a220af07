package io.github.bpfevents.check;

import static io.github.bpfevents.check.Programs.addImm;
import static io.github.bpfevents.check.Programs.andImm;
import static io.github.bpfevents.check.Programs.call;
import static io.github.bpfevents.check.Programs.exit;
import static io.github.bpfevents.check.Programs.ja;
import static io.github.bpfevents.check.Programs.jeqImm;
import static io.github.bpfevents.check.Programs.jneImm;
import static io.github.bpfevents.check.Programs.ldxDw;
import static io.github.bpfevents.check.Programs.lddwMapFd;
import static io.github.bpfevents.check.Programs.mov;
import static io.github.bpfevents.check.Programs.movImm;
import static io.github.bpfevents.check.Programs.xorImm;

import io.github.bpfevents.asm.Insn;
import io.github.bpfevents.asm.InsnEncoder;
import io.github.bpfevents.asm.Register;
import io.github.bpfevents.asm.Size;
import io.github.bpfevents.asm.Store;
import io.github.bpfevents.codec.EventEncoder;
import io.github.bpfevents.layout.EventLayout;
import io.github.bpfevents.store.EventStores;
import io.github.bpfevents.store.StoreValue;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A ring buffer fed by a real BPF program built with the project's stores. Each run of the
 * program (a socket filter, run {@code repeat} times by one {@code BPF_PROG_TEST_RUN})
 * reserves one record of the event, numbers it from a counter in an array map, zeroes it
 * with {@code zeroEvent}, fills it with {@code storeFields} and {@code storeImm}, and
 * submits it, or discards it when its number is a multiple of {@link #DISCARD_EVERY}. A
 * refused reservation (the ring is full) takes no number and is counted apart, so the
 * numbers of the reserved records are 1, 2, 3, ... with no gap.
 *
 * <p>The event needs the fields {@code seq} (u64), {@code pid} (u32), {@code sport},
 * {@code dport} (u16), {@code protocol} (u8), {@code comm} (char array) and {@code check}
 * (u64). The program stores {@code seq} = n, {@code pid} = the low 32 bits of n, {@code
 * sport} = {@link #SPORT}, {@code dport} = {@link #DPORT}, {@code protocol} = {@link
 * #PROTOCOL}, {@code comm} = {@link #COMM}, {@code check} = ~n; every other byte is zero.
 */
public final class RingFeed implements AutoCloseable {
  /** Every record whose number is a multiple of this is discarded. */
  public static final int DISCARD_EVERY = 4;
  /** The constant source port. */
  public static final int SPORT = 443;
  /** The constant destination port. */
  public static final int DPORT = 8080;
  /** The constant protocol. */
  public static final int PROTOCOL = 6;
  /** The constant command name. */
  public static final String COMM = "bpf";

  /** The ring buffer, mapped. */
  public final RingBuf ring;
  /** The event the program writes. */
  public final EventLayout event;
  private final int counter;
  private final int prog;

  private RingFeed(RingBuf ring, EventLayout event, int counter, int prog) {
    this.ring = ring;
    this.event = event;
    this.counter = counter;
    this.prog = prog;
  }

  /**
   * Creates the ring buffer and the counter map and loads the program.
   *
   * @param ringSize the data area's size
   * @param event the event, with the fields named in the class comment
   * @return the feed
   */
  public static RingFeed create(int ringSize, EventLayout event) {
    RingBuf ring = RingBuf.create(ringSize);
    int counter = -1;
    try {
      counter = Bpf.createArrayMap(16);
      byte[] code = InsnEncoder.encode(program(ring.fd, counter, event));
      int prog = Bpf.load(Bpf.PROG_TYPE_SOCKET_FILTER, code, 0);
      return new RingFeed(ring, event, counter, prog);
    } catch (RuntimeException e) {
      if (counter >= 0) {
        Bpf.close(counter);
      }
      ring.close();
      throw e;
    }
  }

  /**
   * The program: registers r6 the record, r7 the counters (u64 reserved at 0, u64 refused
   * at 8), r8 the record's number, r9 its complement.
   *
   * @param ringFd the ring buffer
   * @param counterFd the array map of the counters (value of 16 bytes)
   * @param event the event
   * @return the instructions
   */
  public static List<Insn> program(int ringFd, int counterFd, EventLayout event) {
    Register r0 = Register.R0;
    Register r1 = Register.R1;
    Register r2 = Register.R2;
    Register r3 = Register.R3;
    Register r6 = Register.R6;
    Register r7 = Register.R7;
    Register r8 = Register.R8;
    Register r9 = Register.R9;
    List<Insn> p = new ArrayList<>();
    // r7 = the counters, entry 0 of the array map
    p.add(Store.st(Size.W, Register.R10, -4, 0));
    p.add(mov(r2, Register.R10));
    p.add(addImm(r2, -4));
    p.addAll(lddwMapFd(r1, counterFd));
    p.add(call(1)); // map_lookup_elem
    p.add(jneImm(r0, 0, 2));
    p.add(movImm(r0, 0));
    p.add(exit());
    p.add(mov(r7, r0));
    // r0 = bpf_ringbuf_reserve(ring, size, 0)
    p.addAll(lddwMapFd(r1, ringFd));
    p.add(movImm(r2, event.size()));
    p.add(movImm(r3, 0));
    p.add(call(131));
    p.add(jneImm(r0, 0, 5));
    // refused: count it, take no number
    p.add(ldxDw(r1, r7, 8));
    p.add(addImm(r1, 1));
    p.add(Store.stx(Size.DW, r7, 8, r1));
    p.add(movImm(r0, 0));
    p.add(exit());
    // reserved: r8 = ++counter, r9 = ~r8
    p.add(mov(r6, r0));
    p.add(ldxDw(r8, r7, 0));
    p.add(addImm(r8, 1));
    p.add(Store.stx(Size.DW, r7, 0, r8));
    p.add(mov(r9, r8));
    p.add(xorImm(r9, -1));
    // the record: zeroed (reserved memory is not), then each field
    p.addAll(EventStores.zeroEvent(r6, event));
    p.addAll(EventStores.storeFields(r6, event, Map.of(
        "seq", StoreValue.reg(r8),
        "pid", StoreValue.reg(r8),
        "sport", StoreValue.imm(SPORT),
        "dport", StoreValue.imm(DPORT),
        "protocol", StoreValue.imm(PROTOCOL),
        "check", StoreValue.reg(r9))));
    for (int i = 0; i < COMM.length(); i++) {
      p.add(EventStores.storeImm(r6, event, List.of("comm", i), COMM.charAt(i)));
    }
    // submit, or discard every DISCARD_EVERY-th
    p.add(mov(r1, r8));
    p.add(andImm(r1, DISCARD_EVERY - 1));
    p.add(jeqImm(r1, 0, 4));
    p.add(mov(r1, r6));
    p.add(movImm(r2, 0));
    p.add(call(132)); // ringbuf_submit
    p.add(ja(3));
    p.add(mov(r1, r6));
    p.add(movImm(r2, 0));
    p.add(call(133)); // ringbuf_discard
    p.add(movImm(r0, 0));
    p.add(exit());
    return p;
  }

  /**
   * Whether the program submits (rather than discards) the record of this number.
   *
   * @param seq the record's number, from 1
   * @return true if submitted
   */
  public static boolean submitted(long seq) {
    return seq % DISCARD_EVERY != 0;
  }

  /**
   * How many of the records numbered 1..reserved were submitted.
   *
   * @param reserved records reserved
   * @return records submitted
   */
  public static long submittedOf(long reserved) {
    return reserved - reserved / DISCARD_EVERY;
  }

  /**
   * The bytes a record holds, with {@code seq}, {@code pid} and {@code check} zero.
   *
   * @param event the event
   * @return the record's bytes but for the numbered fields
   */
  public static byte[] template(EventLayout event) {
    return EventEncoder.encode(event, Map.of("sport", SPORT, "dport", DPORT,
        "protocol", PROTOCOL, "comm", COMM));
  }

  /**
   * Runs the program {@code repeat} times (one record each), in this thread.
   *
   * @param repeat how many runs
   */
  public void run(int repeat) {
    Bpf.testRun(prog, repeat);
  }

  /** @return records reserved so far (the last number given) */
  public long reserved() {
    return counters().getLong(0);
  }

  /** @return reservations refused so far because the ring was full */
  public long refused() {
    return counters().getLong(8);
  }

  private ByteBuffer counters() {
    return ByteBuffer.wrap(Bpf.lookup(counter, 16)).order(ByteOrder.nativeOrder());
  }

  @Override
  public void close() {
    Bpf.close(prog);
    Bpf.close(counter);
    ring.close();
  }
}
