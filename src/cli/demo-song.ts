// A deterministic 16-second demo "song" (120 BPM: kick, snare, hats, bass, chords) synthesised in
// code, so the repository ships no audio and the quick start works on a fresh machine.

const BPM = 120;
const BARS = 8;

export function synthesizeDemoSong(sampleRate = 44100): Float32Array[] {
  const beatSeconds = 60 / BPM;
  const frames = Math.round(BARS * 4 * beatSeconds * sampleRate);
  const left = new Float32Array(frames);
  const right = new Float32Array(frames);
  let seed = 0x2545f491;
  const noise = () => {
    seed ^= seed << 13; seed ^= seed >>> 17; seed ^= seed << 5;
    return (seed >>> 0) / 4294967296 * 2 - 1;
  };
  const add = (start: number, length: number, pan: number, voice: (t: number, i: number) => number) => {
    const gl = Math.cos((pan + 1) * Math.PI / 4);
    const gr = Math.sin((pan + 1) * Math.PI / 4);
    for (let i = 0; i < length && start + i < frames; i++) {
      const v = voice(i / sampleRate, i);
      left[start + i] += gl * v;
      right[start + i] += gr * v;
    }
  };
  const at = (beat: number) => Math.round(beat * beatSeconds * sampleRate);
  // Chords: Am - F - C - G, one per bar, detuned saws through a one-pole low-pass.
  const chords = [[220, 261.63, 329.63], [174.61, 220, 261.63], [196, 261.63, 329.63], [196, 246.94, 293.66]];
  const bass = [110, 87.31, 130.81, 98];
  for (let bar = 0; bar < BARS; bar++) {
    const chord = chords[bar % 4];
    const barFrames = at(4);
    for (const [index, freq] of chord.entries()) {
      let state = 0;
      add(at(bar * 4), barFrames, index === 1 ? 0 : index === 0 ? -0.8 : 0.8, (t) => {
        const saw = ((t * freq * 1.003) % 1) * 2 - 1 + ((t * freq * 0.997) % 1) * 2 - 1;
        state += 0.08 * (saw - state);
        const envelope = Math.min(1, t * 8) * (1 - 0.3 * t / (4 * beatSeconds));
        return 0.05 * state * envelope;
      });
    }
    for (let beat = 0; beat < 4; beat++) {
      const start = bar * 4 + beat;
      // Bass on every beat, root note, short decay.
      add(at(start), at(1), 0, (t) => 0.28 * Math.sin(2 * Math.PI * bass[bar % 4] * t) * Math.exp(-t * 3));
      // Kick on 1 and 3: a sine falling from 110 Hz to 50 Hz.
      if (beat % 2 === 0) {
        add(at(start), at(0.5), 0, (t) => 0.75 * Math.sin(2 * Math.PI * (50 * t + 2 * (1 - Math.exp(-t * 30)))) * Math.exp(-t * 9));
      }
      // Snare on 2 and 4: noise plus a tone body.
      if (beat % 2 === 1) {
        add(at(start), at(0.4), 0.1, (t) => (0.3 * noise() + 0.25 * Math.sin(2 * Math.PI * 190 * t)) * Math.exp(-t * 18));
      }
      // Hats on eighths: high-passed noise (difference of successive samples).
      for (const half of [0, 0.5]) {
        let previous = 0;
        add(at(start + half), at(0.12), 0.4, (t) => {
          const n = noise();
          const hp = n - previous;
          previous = n;
          return 0.035 * hp * Math.exp(-t * 40);
        });
      }
    }
  }
  // A 10 Hz one-pole high-pass, as any DAW bus would have: the decaying sines leave DC otherwise.
  for (const channel of [left, right]) {
    const coefficient = Math.exp((-2 * Math.PI * 10) / sampleRate);
    let previousIn = 0;
    let previousOut = 0;
    for (let i = 0; i < frames; i++) {
      const output = coefficient * (previousOut + channel[i] - previousIn);
      previousIn = channel[i];
      channel[i] = previousOut = output;
    }
  }
  return [left, right];
}
