import { assert, test } from '../../../../test/support/node-test.js';
import { processorSuite, render } from '../../../../test/support/processor-suite.js';
import { Fft } from '../fft.js';
import { Tape, TAPE_SPEEDS, type TapeParams } from './tape.js';

const RATE = 48000;

processorSuite('tape 15 ips', (rate, channels) => new Tape(rate, channels));
processorSuite('tape 30 ips, driven, wow and flutter', (rate, channels) => new Tape(rate, channels, { speedIps: 30, driveDb: 12, wowFlutter: 0.5 }));

/** Magnitude response (dB) of the tape at `hz`, from the FFT of its response to a −60 dBFS impulse (linear region). */
function measuredResponse(params: Partial<TapeParams>, frequencies: number[]): number[] {
  const size = 65536;
  const level = 1e-3;
  const tape = new Tape(RATE, 1, params);
  const input = new Float32Array(size);
  input[0] = level;
  const [h] = render(tape, [input], 4096);
  const real = Float64Array.from(h, (v) => v / level);
  const imag = new Float64Array(size);
  new Fft(size).forward(real, imag);
  return frequencies.map((hz) => {
    const bin = Math.round((hz * size) / RATE);
    return 20 * Math.log10(Math.hypot(real[bin], imag[bin]));
  });
}

const binHz = (hz: number) => (Math.round((hz * 65536) / RATE) * RATE) / 65536;
const FREQUENCIES = [20, 30, 40, 50, 63, 80, 100, 125, 160, 250, 500, 1000, 4000, 8000, 12000, 16000, 19000];

for (const speedIps of [15, 30] as const) {
  test(`tape ${speedIps} ips: head bump and high-frequency roll-off within 0.5 dB of the designed curve`, () => {
    const params = { speedIps, headBumpDb: 3 };
    const measured = measuredResponse(params, FREQUENCIES);
    const tape = new Tape(RATE, 1, params);
    const rows: string[] = [];
    FREQUENCIES.forEach((hz, i) => {
      const designed = 20 * Math.log10(tape.designResponse(binHz(hz)).magnitude);
      rows.push(`${hz} Hz ${measured[i].toFixed(2)}/${designed.toFixed(2)}`);
      assert.ok(Math.abs(measured[i] - designed) <= 0.5, `${hz} Hz: measured ${measured[i].toFixed(2)} dB, designed ${designed.toFixed(2)} dB`);
    });
    console.log(`tape ${speedIps} ips (measured/designed dB): ${rows.join(', ')}`);
    // The design itself: +3 dB at the bump, a gentle top end.
    const { headBumpHz } = TAPE_SPEEDS[speedIps];
    assert.ok(Math.abs(20 * Math.log10(tape.designResponse(headBumpHz).magnitude) - 3) < 0.1);
    const at16k = 20 * Math.log10(tape.designResponse(16000).magnitude);
    if (speedIps === 15) assert.ok(at16k < -2.5 && at16k > -4.5, `15 ips, 16 kHz: ${at16k}`);
    else assert.ok(at16k < -0.5 && at16k > -2, `30 ips, 16 kHz: ${at16k}`);
  });
}

test('tape: quiet signals keep their level at any drive; loud ones saturate', () => {
  const frames = 9600;
  const level = (amplitude: number, driveDb: number) => {
    const tone = Float32Array.from({ length: frames }, (_, n) => amplitude * Math.sin((2 * Math.PI * 1000 * n) / RATE));
    const [y] = render(new Tape(RATE, 1, { driveDb, headBumpDb: 0 }), [tone], 512);
    return Math.max(...y.subarray(4800).map(Math.abs)) / amplitude;
  };
  assert.ok(Math.abs(20 * Math.log10(level(0.01, 24))) < 0.1);
  assert.ok(20 * Math.log10(level(0.9, 12)) < -6, 'a full-scale tone at +12 dB drive is compressed');
});

test('tape: wow and flutter sweep the delay by the designed depth; off, the tape is a fixed delay', () => {
  const frames = RATE * 4;
  const hz = 480;
  const tone = Float32Array.from({ length: frames }, (_, n) => 0.01 * Math.sin((2 * Math.PI * hz * n) / RATE));
  const phaseSwing = (wowFlutter: number) => {
    const [y] = render(new Tape(RATE, 1, { wowFlutter, headBumpDb: 0 }), [tone], 1000);
    let min = Infinity, max = -Infinity, previous = 0;
    for (let p = 20; p < frames / 100 - 1; p++) {
      let i = 0, q = 0;
      for (let n = p * 100; n < (p + 1) * 100; n++) {
        i += y[n] * Math.cos((2 * Math.PI * hz * n) / RATE);
        q += y[n] * Math.sin((2 * Math.PI * hz * n) / RATE);
      }
      let phase = Math.atan2(-i, q);
      while (phase - previous > Math.PI) phase -= 2 * Math.PI;
      while (phase - previous < -Math.PI) phase += 2 * Math.PI;
      previous = phase;
      min = Math.min(min, phase);
      max = Math.max(max, phase);
    }
    return (max - min) / (2 * Math.PI * hz); // seconds of delay swing
  };
  const expected = 2 * (0.001 / (2 * Math.PI * 0.6) + 0.0005 / (2 * Math.PI * 7.5));
  const swing = phaseSwing(1);
  console.log(`wow and flutter delay swing ${(swing * 1e3).toFixed(3)} ms (designed peak-to-peak ≤ ${(expected * 1e3).toFixed(3)} ms)`);
  assert.ok(swing > 0.8 * expected && swing < 1.05 * expected, `swing ${swing}`);
  assert.ok(phaseSwing(0) < 1e-7);
});

test('tape: rejects unsupported speeds and out-of-range amounts', () => {
  assert.throws(() => new Tape(RATE, 2, { speedIps: 7.5 as never }), RangeError);
  assert.throws(() => new Tape(RATE, 2, { wowFlutter: 2 }), RangeError);
  assert.throws(() => new Tape(RATE, 2).set({ driveDb: 30 }), RangeError);
});
