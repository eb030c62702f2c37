import Foundation
import Plot
import Testing

/// 0xRRGGBB of a colour, each channel rounded to 8 bits.
private func hex(_ color: Color) -> UInt32 {
    [color.red, color.green, color.blue].reduce(0) { $0 << 8 | UInt32(($1 * 255).rounded()) }
}

/// Whether each 8-bit channel differs by at most `tolerance`.
private func isNear(_ color: Color, _ expected: UInt32, tolerance: Int = 1) -> Bool {
    let actual = hex(color)
    return [16, 8, 0].allSatisfy { abs(Int((actual >> $0) & 0xFF) - Int((expected >> $0) & 0xFF)) <= tolerance }
}

/// CIE relative luminance Y of an sRGB colour.
private func luminance(_ c: Color) -> Double {
    func linear(_ v: Double) -> Double { v <= 0.04045 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4) }
    return 0.2126 * linear(c.red) + 0.7152 * linear(c.green) + 0.0722 * linear(c.blue)
}

/// CIELAB (D65) of an sRGB colour.
private func lab(_ c: Color) -> (l: Double, a: Double, b: Double) {
    func linear(_ v: Double) -> Double { v <= 0.04045 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4) }
    let r = linear(c.red), g = linear(c.green), b = linear(c.blue)
    let x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    let y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    let z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883
    func f(_ t: Double) -> Double { t > pow(6.0 / 29, 3) ? cbrt(t) : t / (3 * pow(6.0 / 29, 2)) + 4.0 / 29 }
    return (116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z)))
}

private func deltaE(_ p: Color, _ q: Color) -> Double {
    let a = lab(p), b = lab(q)
    return ((a.l - b.l) * (a.l - b.l) + (a.a - b.a) * (a.a - b.a) + (a.b - b.b) * (a.b - b.b)).squareRoot()
}

@Suite struct ColormapTests {
    @Test func viridisMatchesMatplotlib() {
        let viridis = Colormap.viridis
        #expect(viridis.name == "viridis")
        #expect(viridis.colors.count == 256)
        #expect(hex(viridis.color(at: 0)) == 0x440154)
        #expect(hex(viridis.color(at: 1)) == 0xFDE725)
        #expect(isNear(viridis.color(at: 0.5), 0x21918C))
        // matplotlib's table entry 64 (t = 64/255) is #3B528B.
        #expect(hex(viridis.color(at: 64.0 / 255)) == 0x3B528B)
    }

    @Test func viridisLuminanceRisesMonotonically() {
        var previous = -1.0
        for i in 0...2000 {
            let y = luminance(Colormap.viridis.color(at: Double(i) / 2000))
            #expect(y > previous, "luminance falls at t = \(Double(i) / 2000)")
            previous = y
        }
        #expect(luminance(Colormap.viridis.color(at: 1)) > 10 * luminance(Colormap.viridis.color(at: 0)))
    }

    @Test func interpolatesLinearlyBetweenEntries() {
        let map = Colormap.viridis
        let a = map.colors[10], b = map.colors[11]
        let mid = map.color(at: 10.25 / 255)
        #expect(abs(mid.red - (0.75 * a.red + 0.25 * b.red)) < 1e-12)
        #expect(abs(mid.green - (0.75 * a.green + 0.25 * b.green)) < 1e-12)
        #expect(abs(mid.blue - (0.75 * a.blue + 0.25 * b.blue)) < 1e-12)
        let custom = Colormap(name: "ramp", colors: [.black, .white])
        #expect(custom.color(at: 0.25) == Color(red: 0.25, green: 0.25, blue: 0.25))
        #expect(Colormap(name: "one", colors: [.white]).color(at: 0.7) == .white)
    }

    @Test func divergingIsRdBuReversed() {
        let map = Colormap.diverging
        #expect(map.name == "RdBu_r")
        #expect(map.colors.count == 256)
        let low = map.color(at: 0), high = map.color(at: 1), middle = map.color(at: 0.5)
        #expect(hex(low) == 0x053061)   // dark blue
        #expect(hex(high) == 0x67001F)  // dark red
        #expect(low.blue > low.red + 0.3 && high.red > high.blue + 0.2)
        #expect(deltaE(low, high) > 50)
        // The middle is a near-white neutral: almost no chroma, light.
        let centre = lab(middle)
        #expect((centre.a * centre.a + centre.b * centre.b).squareRoot() < 2)
        #expect(centre.l > 95)
        // Balanced: equal distances from the middle have similar lightness on both sides.
        for t in stride(from: 0.0, through: 0.5, by: 0.05) {
            #expect(abs(lab(map.color(at: 0.5 - t)).l - lab(map.color(at: 0.5 + t)).l) < 12, "t = \(t)")
        }
    }

    @Test func clampsAndSurvivesNaN() {
        for map in [Colormap.viridis, .diverging] {
            #expect(map.color(at: -1) == map.color(at: 0))
            #expect(map.color(at: -.infinity) == map.colors[0])
            #expect(map.color(at: 2) == map.color(at: 1))
            #expect(map.color(at: .infinity) == map.colors[255])
            #expect(map.color(at: .nan) == map.colors[0])
        }
    }

    @Test func missingIsANeutralGreyFarFromBothMaps() {
        let missing = Colormap.missing
        #expect(missing.red == missing.green && missing.green == missing.blue)
        for map in [Colormap.viridis, .diverging] {
            let nearest = map.colors.map { deltaE($0, missing) }.min()!
            #expect(nearest > 20, "\(map.name): nearest entry only ΔE \(nearest) from the missing colour")
        }
    }
}

@Suite struct ColorCycleColormapTests {
    @Test func okabeItoHasItsEightColoursBlackLast() {
        #expect(ColorCycle.okabeIto.map(hex) == [0xE69F00, 0x56B4E9, 0x009E73, 0x0072B2,
                                                 0xD55E00, 0xCC79A7, 0xF0E442, 0x000000])
        #expect(Set(ColorCycle.okabeIto).count == 8)
    }

    @Test func cycleWraps() {
        #expect(ColorCycle.color(0) == ColorCycle.okabeIto[0])
        #expect(ColorCycle.color(7) == .black)
        #expect(ColorCycle.color(8) == ColorCycle.color(0))
        #expect(ColorCycle.color(17) == ColorCycle.okabeIto[1])
        #expect(ColorCycle.color(-1) == .black)
    }
}
