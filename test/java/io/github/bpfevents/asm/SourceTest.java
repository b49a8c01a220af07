package io.github.bpfevents.asm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

/** The source bit of arithmetic and jump opcodes: K (the immediate) 0x00, X (src) 0x08. */
class SourceTest {

  @Test
  void theSourceBit() {
    assertEquals(0x00, Source.K.bits());
    assertEquals(0x08, Source.X.bits());
    assertEquals(0x08, Source.MASK);
  }

  @Test
  void sourcesOfKnownOpcodes() {
    assertSame(Source.K, Source.ofOpcode(0x07)); // r1 += 5
    assertSame(Source.X, Source.ofOpcode(0x0f)); // r1 += r2
    assertSame(Source.K, Source.ofOpcode(0xb7)); // r0 = 0
    assertSame(Source.X, Source.ofOpcode(0xbf)); // r1 = r10
    assertSame(Source.K, Source.ofOpcode(0x15)); // if r1 == 5 goto
    assertSame(Source.X, Source.ofOpcode(0x1d)); // if r1 == r2 goto
  }
}
