package io.github.bpfevents.asm;

/**
 * The operation of an atomic instruction ({@code STX} in mode {@link Mode#ATOMIC}), held in
 * the low byte of its immediate.
 *
 * <pre>
 *   imm bit:  31 ... 8 | 7 6 5 4 | 3 2 1 0
 *             (unused) |   op    | fetch = 0x01
 *   op bits:  ADD 0x00  OR 0x40  AND 0x50  XOR 0xa0  XCHG 0xe0  CMPXCHG 0xf0
 * </pre>
 *
 * <p>Without {@link #FETCH} the operation only updates memory:
 * {@code lock *(u64 *)(r1 + 0) += r2}. With it, the old value comes back in {@code src}:
 * {@code r2 = atomic_fetch_add((u64 *)(r1 + 0), r2)}. {@link #XCHG} and {@link #CMPXCHG}
 * always fetch (their immediates are 0xe1 and 0xf1); {@code cmpxchg} compares with and
 * returns in {@code r0}.
 */
public enum AtomicOp {
  /** Add: {@code +=}, {@code atomic_fetch_add}. */
  ADD(0x00, "add", "+"),
  /** Or: {@code |=}, {@code atomic_fetch_or}. */
  OR(0x40, "or", "|"),
  /** And: {@code &=}, {@code atomic_fetch_and}. */
  AND(0x50, "and", "&"),
  /** Exclusive or: {@code ^=}, {@code atomic_fetch_xor}. */
  XOR(0xa0, "xor", "^"),
  /** Exchange: {@code r2 = xchg_64(r1 + 0, r2)}; always fetches. */
  XCHG(0xe0, "xchg", null),
  /** Compare and exchange: {@code r0 = cmpxchg_64(r1 + 0, r0, r2)}; always fetches. */
  CMPXCHG(0xf0, "cmpxchg", null);

  /** Mask of the operation bits within the immediate. */
  public static final int MASK = 0xf0;

  /** The fetch flag: the old value is returned in a register. */
  public static final int FETCH = 0x01;

  /** Mask of the flag bits within the immediate, of which only {@link #FETCH} is defined. */
  public static final int FLAGS_MASK = 0x0f;

  private final int bits;
  private final String asmName;
  private final String operator;

  AtomicOp(int bits, String asmName, String operator) {
    this.bits = bits;
    this.asmName = asmName;
    this.operator = operator;
  }

  /**
   * The operation bits as they stand in the immediate.
   *
   * @return 0x00, 0x40, 0x50, 0xa0, 0xe0 or 0xf0
   */
  public int bits() {
    return bits;
  }

  /**
   * The name in assembler text: {@code "add"} as in {@code atomic_fetch_add}.
   *
   * @return the lower-case name
   */
  public String asmName() {
    return asmName;
  }

  /**
   * The operator of the form without fetch: {@code "+"} as in {@code lock ... += r2}.
   *
   * @return the operator, null for XCHG and CMPXCHG, which have no such form
   */
  public String operator() {
    return operator;
  }

  /**
   * Whether the operation exists only with {@link #FETCH}.
   *
   * @return true for XCHG and CMPXCHG
   */
  public boolean alwaysFetches() {
    return operator == null;
  }

  /**
   * The operation named by an atomic instruction's immediate, or null where its bits name
   * none.
   *
   * @param imm the immediate
   * @return the operation selected by bits 4 to 7
   */
  public static AtomicOp ofImm(int imm) {
    int b = imm & MASK;
    for (AtomicOp op : values()) {
      if (op.bits == b) {
        return op;
      }
    }
    return null;
  }
}
