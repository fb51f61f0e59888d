import { accentContrast, contrastRatio, isHexColour, relativeLuminance } from './contrast';

describe('accent colour contrast (WCAG 2.x)', () => {
  it('knows the ends of the scale', () => {
    expect(relativeLuminance('#000000')).toBe(0);
    expect(relativeLuminance('#FFFFFF')).toBeCloseTo(1, 10);
    // (1 + 0.05) / (0 + 0.05) = 21, either way round.
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 10);
    expect(contrastRatio('#ffffff', '#000000')).toBeCloseTo(21, 10);
    expect(contrastRatio('#777777', '#777777')).toBe(1);
  });

  it.each([
    // colour, white-text ratio (2 places), AA with white?
    // #1f3a5f: L = 0.2126·0.0137 + 0.7152·0.0423 + 0.0722·0.1144 ≈ 0.0415 → 1.05 / 0.0915 ≈ 11.48
    ['#1f3a5f', 11.48, true], // the default accent
    ['#767676', 4.54, true], // the lightest grey that passes on white
    ['#777777', 4.48, false], // one step lighter fails
    // #ffcc00: L = 0.2126 + 0.7152·0.6038 ≈ 0.6444 → 1.05 / 0.6944 ≈ 1.51
    ['#ffcc00', 1.51, false], // yellow: only black text would do
    ['#aa3300', 6.6, true],
  ])('%s on white is %f : 1 (AA: %p)', (hex, ratio, aa) => {
    const c = accentContrast(hex);
    expect(Number(c.withWhite.toFixed(2))).toBe(ratio);
    expect(c.meetsAA).toBe(aa);
    // One of the two always passes: the worst colour gives √21 ≈ 4.58 both ways.
    expect(Math.max(c.withWhite, c.withBlack)).toBeGreaterThan(4.5);
  });

  it('refuses what is not #rrggbb', () => {
    expect(isHexColour('#abc')).toBe(false);
    expect(isHexColour('red')).toBe(false);
    expect(isHexColour('#A0b1C2')).toBe(true);
    expect(() => relativeLuminance('#abc')).toThrow(RangeError);
  });
});
