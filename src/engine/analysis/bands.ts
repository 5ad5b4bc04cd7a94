// Fractional-octave band edges, base 10 (IEC 61260-1 / ANSI S1.11): centres 1000 * 10^(3n / (10 b)).

export interface FractionalOctaveBand {
  /** Exact centre frequency (Hz). */
  centerHz: number;
  /** Nominal label frequency as printed on analysers (20, 25, 31.5, ...). */
  nominalHz: number;
  lowerHz: number;
  upperHz: number;
}

const NOMINAL_THIRD_OCTAVE = [20, 25, 31.5, 40, 50, 63, 80, 100, 125, 160, 200, 250, 315, 400, 500, 630, 800, 1000,
  1250, 1600, 2000, 2500, 3150, 4000, 5000, 6300, 8000, 10000, 12500, 16000, 20000];

/** The 31 third-octave bands from 20 Hz to 20 kHz. */
export function thirdOctaveBands(): FractionalOctaveBand[] {
  return NOMINAL_THIRD_OCTAVE.map((nominalHz, index) => {
    const centerHz = 1000 * Math.pow(10, (index - 17) / 10);
    const halfBand = Math.pow(10, 1 / 20); // 10^(3/(10*3*2))
    return { centerHz, nominalHz, lowerHz: centerHz / halfBand, upperHz: centerHz * halfBand };
  });
}
