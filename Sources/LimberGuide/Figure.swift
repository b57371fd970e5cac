// Simple line drawings for the exercise guide: a stick figure built from
// its joints, with the floor, a chair or a towel where the exercise uses
// one, and dashed arrows for the movement. Drawn for this project.
import LimberCore

/// A point in a panel's 200 × 120 drawing space (y down; the floor is y 100).
struct Pt {
    var x: Double
    var y: Double
    init(_ x: Double, _ y: Double) {
        self.x = x
        self.y = y
    }
}

/// One body in one pose. Limbs are drawn from the shoulder (the neck
/// point) and the hip; the far limb lighter than the near one.
struct Figure {
    var head: Pt
    var neck: Pt
    var hip: Pt
    /// Near and far leg: knee, foot.
    var legs: [(knee: Pt, foot: Pt)]
    /// Near and far arm: elbow, hand.
    var arms: [(elbow: Pt, hand: Pt)]
    /// Bend the back into a curve through this point (a slump), if set.
    var backCurve: Pt? = nil

    func svg(dx: Double) -> String {
        func p(_ q: Pt) -> String { "\(fmt(q.x + dx)),\(fmt(q.y))" }
        var out = ""
        // Far limbs first, lighter, so the near ones are drawn over them.
        for (i, leg) in legs.enumerated().reversed() {
            out += "<polyline class=\"\(i == 0 ? "limb" : "limb far")\" points=\"\(p(hip)) \(p(leg.knee)) \(p(leg.foot))\"/>"
        }
        if let c = backCurve {
            out += "<path class=\"limb\" d=\"M\(p(hip)) Q\(p(c)) \(p(neck))\"/>"
        } else {
            out += "<line class=\"limb\" x1=\"\(fmt(hip.x + dx))\" y1=\"\(fmt(hip.y))\" x2=\"\(fmt(neck.x + dx))\" y2=\"\(fmt(neck.y))\"/>"
        }
        for (i, arm) in arms.enumerated().reversed() {
            out += "<polyline class=\"\(i == 0 ? "limb" : "limb far")\" points=\"\(p(neck)) \(p(arm.elbow)) \(p(arm.hand))\"/>"
        }
        out += "<line class=\"limb\" x1=\"\(fmt(neck.x + dx))\" y1=\"\(fmt(neck.y))\" x2=\"\(fmt((neck.x + head.x) / 2 + dx))\" y2=\"\(fmt((neck.y + head.y) / 2))\"/>"
        out += "<circle class=\"head\" cx=\"\(fmt(head.x + dx))\" cy=\"\(fmt(head.y))\" r=\"8\"/>"
        return out
    }
}

/// Things around the figure.
enum Prop {
    case floor
    /// A chair seen from the side: seat at `seatY` from `x` to `x + 40`, back at `x`.
    case chair(x: Double, seatY: Double, backOnLeft: Bool)
    /// A dashed arrow showing the movement.
    case arrow(from: Pt, to: Pt)
    /// A curved dashed arrow through `via`.
    case curve(from: Pt, via: Pt, to: Pt)
    /// A towel or strap: a line through these points.
    case towel([Pt])
    /// A numbered caption under the panel: "1 On the elbows". The caption
    /// is marked with `trMark` and translated when the drawing is made.
    case step(Int, String)
    /// A desk with a screen, for sitting posture.
    case desk(x: Double)

    func svg(dx: Double) -> String {
        func p(_ q: Pt) -> String { "\(fmt(q.x + dx)),\(fmt(q.y))" }
        switch self {
        case .floor:
            return "<line class=\"floor\" x1=\"\(fmt(dx + 4))\" y1=\"101\" x2=\"\(fmt(dx + 196))\" y2=\"101\"/>"
        case .chair(let x, let seatY, let backOnLeft):
            let back = backOnLeft ? x : x + 40
            return "<polyline class=\"prop\" points=\"\(p(Pt(back, seatY - 38))) \(p(Pt(back, seatY))) \(p(Pt(backOnLeft ? x + 40 : x, seatY)))\"/>"
                + "<line class=\"prop\" x1=\"\(fmt(x + 3 + dx))\" y1=\"\(fmt(seatY))\" x2=\"\(fmt(x + 3 + dx))\" y2=\"100\"/>"
                + "<line class=\"prop\" x1=\"\(fmt(x + 37 + dx))\" y1=\"\(fmt(seatY))\" x2=\"\(fmt(x + 37 + dx))\" y2=\"100\"/>"
        case .arrow(let a, let b):
            return "<line class=\"move\" marker-end=\"url(#arrow)\" x1=\"\(fmt(a.x + dx))\" y1=\"\(fmt(a.y))\" x2=\"\(fmt(b.x + dx))\" y2=\"\(fmt(b.y))\"/>"
        case .curve(let a, let v, let b):
            return "<path class=\"move\" marker-end=\"url(#arrow)\" d=\"M\(p(a)) Q\(p(v)) \(p(b))\"/>"
        case .towel(let pts):
            return "<polyline class=\"towel\" points=\"\(pts.map(p).joined(separator: " "))\"/>"
        case .step(let n, let caption):
            return Caption.lines(String(n) + " " + tr(caption)).enumerated().map { i, line in
                let fit = line.squeezed ? " textLength=\"\(fmt(Caption.width))\" lengthAdjust=\"spacingAndGlyphs\"" : ""  // l10n: not ui
                return "<text class=\"step\" x=\"\(fmt(dx + Caption.left))\" y=\"\(fmt(Caption.firstLine + Double(i) * Caption.lineHeight))\"\(fit)>"
                    + GuideHTML.esc(line.text) + "</text>"
            }.joined()
        case .desk(let x):
            return "<polyline class=\"prop\" points=\"\(p(Pt(x, 100))) \(p(Pt(x, 62))) \(p(Pt(x + 60, 62))) \(p(Pt(x + 60, 100)))\"/>"
                + "<rect class=\"prop\" x=\"\(fmt(x + 22 + dx))\" y=\"20\" width=\"6\" height=\"34\"/>"
                + "<line class=\"prop\" x1=\"\(fmt(x + 25 + dx))\" y1=\"54\" x2=\"\(fmt(x + 25 + dx))\" y2=\"62\"/>"
        }
    }
}

/// One panel: a figure and its props.
struct Panel {
    var figure: Figure
    var props: [Prop] = [.floor]
}

func fmt(_ v: Double) -> String {
    v == v.rounded() ? String(Int(v)) : String(format1(v))
}

private func format1(_ v: Double) -> String {
    let r = (v * 10).rounded() / 10
    return String(r)
}

/// Panels side by side as one SVG, with a title for screen readers (in
/// the user's language, as the captions; both escaped). The drawing grows
/// downwards for a caption that takes more than one line.
func drawing(_ title: String, _ panels: [Panel]) -> String {
    let width = 200 * panels.count
    let lines = panels.flatMap(\.props).map { prop -> Int in
        if case .step(let n, let caption) = prop { return Caption.lines(String(n) + " " + tr(caption)).count }
        return 1
    }.max() ?? 1
    let height = Caption.height(lines: lines)
    let label = GuideHTML.esc(title)
    var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(width) \(fmt(height))\" width=\"\(width * 2)\" height=\"\(fmt(height * 2))\" role=\"img\" aria-label=\"\(label)\">"  // l10n: not ui
    s += "<title>\(label)</title>"
    s += "<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"8\" refY=\"5\" markerWidth=\"5\" markerHeight=\"5\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#1565c0\"/></marker></defs>"
    s += "<style>.limb{fill:none;stroke:#222;stroke-width:4;stroke-linecap:round;stroke-linejoin:round}.far{stroke:#888}"
        + ".head{fill:#fff;stroke:#222;stroke-width:3.5}.floor{stroke:#999;stroke-width:2}.prop{fill:none;stroke:#8d6e63;stroke-width:3;stroke-linejoin:round}"
        + ".move{fill:none;stroke:#1565c0;stroke-width:2.5;stroke-dasharray:5 4}.towel{fill:none;stroke:#e65100;stroke-width:3}"
        + ".step{font:bold 12px sans-serif;fill:#1565c0}</style>"
    for (i, panel) in panels.enumerated() {
        let dx = Double(i * 200)
        if i > 0 { s += "<line x1=\"\(fmt(dx))\" y1=\"8\" x2=\"\(fmt(dx))\" y2=\"112\" stroke=\"#ddd\" stroke-width=\"1\"/>" }
        for prop in panel.props where !isOverlay(prop) { s += prop.svg(dx: dx) }
        s += panel.figure.svg(dx: dx)
        for prop in panel.props where isOverlay(prop) { s += prop.svg(dx: dx) }
    }
    return s + "</svg>"
}

private func isOverlay(_ p: Prop) -> Bool {
    switch p {
    case .arrow, .curve, .towel, .step: true
    default: false
    }
}

/// A caption's lines under a panel: words wrapped to the panel's width by
/// a generous estimate of their width in bold 12 px sans-serif (a German
/// caption is often 40 % longer than the English). A word or a last line
/// that still does not fit is squeezed to the width (`textLength`), so
/// nothing runs into the next panel or out of the drawing.
enum Caption {
    static let left = 8.0
    static let width = 184.0
    static let fontSize = 12.0
    static let firstLine = 115.0
    static let lineHeight = 14.0
    static let maxLines = 3

    static func height(lines: Int) -> Double { 120 + Double(max(lines, 1) - 1) * lineHeight }

    /// The estimated width of `text` (more than a browser draws it).
    static func estimate(_ text: String) -> Double {
        var em = 0.0
        for c in text.unicodeScalars {
            switch c {
            case "i", "l", "j", "I", "!", "|", ".", ",", ":", ";", "'", "`": em += 0.34
            case " ", "f", "t", "r", "(", ")", "-": em += 0.42
            case "m", "w", "M", "W", "@": em += 0.98
            case "A"..."Z": em += 0.78
            case "0"..."9": em += 0.62
            case _ where c.value < 0x250: em += 0.66  // Latin letters, accented ones too
            default: em += 1.05  // anything else may come from a wider fallback font
            }
        }
        return em * fontSize * 1.06  // bold
    }

    struct Line: Equatable {
        var text: String
        var squeezed: Bool
    }

    static func lines(_ text: String) -> [Line] {
        var out: [String] = []
        var current = ""
        for word in text.split(separator: " ").map(String.init) {
            let candidate = current.isEmpty ? word : current + " " + word
            if current.isEmpty || estimate(candidate) <= width || out.count == maxLines - 1 {
                current = candidate
            } else {
                out.append(current)
                current = word
            }
        }
        if !current.isEmpty { out.append(current) }
        return out.map { Line(text: $0, squeezed: estimate($0) > width) }
    }
}
