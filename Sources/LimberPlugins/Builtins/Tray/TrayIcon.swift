// The tray's own icon pixels, for hosts without an icon theme that has the
// named icons: a disc in the state's colour with a light ring and a dark
// rim, so it stands out on a dark panel and on a light one.
import Foundation
import Systemd

enum TrayIcon {
    /// ARGB32 (network byte order) images, as `a(iiay)` wants them.
    static func pixmaps(_ state: TraySnapshot.State) -> BusValue {
        .array(elementSignature: "(iiay)", [16, 22, 32, 48].map { size in
            .structure([.int32(Int32(size)), .int32(Int32(size)),
                        .array(elementSignature: "y", draw(state, size: size).map { .byte($0) })])
        })
    }

    struct RGB { var r, g, b: Double }

    static func colour(_ state: TraySnapshot.State) -> RGB {
        switch state {
        case .counting: RGB(r: 0.16, g: 0.62, b: 0.56)
        case .due: RGB(r: 0.96, g: 0.55, b: 0.15)
        case .paused: RGB(r: 0.50, g: 0.55, b: 0.62)
        case .redFlag: RGB(r: 0.84, g: 0.16, b: 0.16)
        case .idle: RGB(r: 0.40, g: 0.45, b: 0.55)
        }
    }

    /// One image, size × size, 4×4 samples a pixel.
    static func draw(_ state: TraySnapshot.State, size: Int) -> [UInt8] {
        let n = Double(size)
        let c = n / 2, rim = n * 0.46, ring = n * 0.40, disc = n * 0.34
        let fill = colour(state)
        var out = [UInt8](repeating: 0, count: size * size * 4)
        for y in 0..<size {
            for x in 0..<size {
                var a = 0.0, r = 0.0, g = 0.0, b = 0.0
                for sy in 0..<4 {
                    for sx in 0..<4 {
                        let px = Double(x) + (Double(sx) + 0.5) / 4, py = Double(y) + (Double(sy) + 0.5) / 4
                        let d = ((px - c) * (px - c) + (py - c) * (py - c)).squareRoot()
                        var p: RGB?
                        if d <= disc {
                            p = glyph(state, (px - c) / disc, (py - c) / disc) ? RGB(r: 1, g: 1, b: 1) : fill
                        } else if d <= ring {
                            p = RGB(r: 0.97, g: 0.97, b: 0.97)   // light ring: seen on dark panels
                        } else if d <= rim {
                            p = RGB(r: 0.12, g: 0.12, b: 0.14)   // dark rim: seen on light panels
                        }
                        if let p { a += 1; r += p.r; g += p.g; b += p.b }
                    }
                }
                let i = (y * size + x) * 4
                guard a > 0 else { continue }
                out[i] = UInt8((a / 16 * 255).rounded())
                out[i + 1] = UInt8((r / a * 255).rounded())
                out[i + 2] = UInt8((g / a * 255).rounded())
                out[i + 3] = UInt8((b / a * 255).rounded())
            }
        }
        return out
    }

    /// The white mark inside the disc (u, v in -1...1): paused two bars,
    /// due a dot, red flag an exclamation mark, counting and idle none.
    static func glyph(_ state: TraySnapshot.State, _ u: Double, _ v: Double) -> Bool {
        switch state {
        case .paused: (abs(u + 0.32) < 0.16 || abs(u - 0.32) < 0.16) && abs(v) < 0.5
        case .due: u * u + v * v < 0.16
        case .redFlag: abs(u) < 0.14 && ((v > -0.62 && v < 0.18) || (v > 0.36 && v < 0.62))
        case .counting, .idle: false
        }
    }
}
