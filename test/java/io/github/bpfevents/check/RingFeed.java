package io.github.bpfevents.check;

import io.github.bpfevents.asm.AluOp;
import io.github.bpfevents.asm.Insn;
import io.github.bpfevents.asm.InsnEncoder;
import io.github.bpfevents.asm.Instructions;
import io.github.bpfevents.asm.JumpOp;
import io.github.bpfevents.asm.Program;
import io.github.bpfevents.asm.Register;
import io.github.bpfevents.asm.Size;
import io.github.bpfevents.asm.Store;
import io.github.bpfevents.codec.EventEncoder;
import io.github.bpfevents.emit.EventEmitter;
import io.github.bpfevents.emit.FieldSource;
import io.github.bpfevents.emit.MapRef;
import io.github.bpfevents.emit.ProgramType;
import io.github.bpfevents.layout.EventLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A ring buffer fed by a real BPF program built with the project's {@link EventEmitter}.
 * Each run of the program (a socket filter, run {@code repeat} times by one
 * {@code BPF_PROG_TEST_RUN}) reserves one record of the event, numbers it from a counter in
 * an array map, zeroes what no field fills, fills the fields from registers and constants,
 * and submits it, or discards it when its number is a multiple of {@link #DISCARD_EVERY}. A
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
   * The program: r7 the counters (u64 reserved at 0, u64 refused at 8), r8 the record's
   * number, r9 its complement; the record sent by the library's {@link EventEmitter}
   * (reserve into r6, zero what no field fills, the stores, submit or discard), its number
   * kept only when the reservation succeeded.
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
    Register r7 = Register.R7;
    Register r8 = Register.R8;
    Register r9 = Register.R9;
    EventEmitter.Builder send = EventEmitter.builder(event)
        .programType(ProgramType.SOCKET_FILTER)
        .ringBuffer(MapRef.fd(ringFd))
        .live(r7, r8, r9)
        .field("seq", FieldSource.reg(r8))
        .field("pid", FieldSource.reg(r8))
        .field("sport", FieldSource.imm(SPORT))
        .field("dport", FieldSource.imm(DPORT))
        .field("protocol", FieldSource.imm(PROTOCOL))
        .field("check", FieldSource.reg(r9))
        .onFailure("refused")
        // submit unless the number is a multiple of DISCARD_EVERY
        .submitIf(JumpOp.JSET, r8, DISCARD_EVERY - 1);
    for (int i = 0; i < COMM.length(); i++) {
      send.field(List.of("comm", i), FieldSource.imm(COMM.charAt(i)));
    }
    List<Program.Item> p = new ArrayList<>();
    // r7 = the counters, entry 0 of the array map; r8 = the next number, r9 = ~r8
    p.add(Program.insn(Store.st(Size.W, Register.R10, -4, 0)));
    p.addAll(Counters.lookupNextNumber(counterFd));
    p.add(Program.insn(Instructions.mov(r9, r8)));
    p.add(Program.insn(Instructions.aluImm(AluOp.XOR, r9, -1)));
    p.addAll(send.build().items());
    // reserved: the number is taken
    p.add(Program.insn(Store.stx(Size.DW, r7, 0, r8)));
    p.add(Program.jump("exit"));
    // refused: count it, take no number
    p.addAll(Counters.refusedThenExit());
    return Program.link(p);
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
