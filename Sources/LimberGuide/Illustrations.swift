// The drawings of the shipped exercises, by exercise id (Figure.swift draws
// them). A program's own exercise with the same id gets the same picture;
// one without a drawing gets none. The titles (for screen readers) and
// the captions are limber's words: marked here, translated in po/.
import LimberCore

public enum Illustrations {
    /// The SVG for an exercise, nil when there is no drawing for it.
    public static func svg(for exerciseID: String) -> String? {
        guard let (title, panels) = poses[exerciseID] else { return nil }
        return drawing(tr(title), panels)
    }

    public static var ids: [String] { poses.keys.sorted() }

    typealias Pose = (title: String, panels: [Panel])

    // Lying on the back, head on the left.
    private static func supine(hip: Pt = Pt(100, 95), legs: [(knee: Pt, foot: Pt)],
                               arms: [(elbow: Pt, hand: Pt)]? = nil) -> Figure {
        Figure(head: Pt(28, 91), neck: Pt(42, 94), hip: hip, legs: legs,
               arms: arms ?? [(Pt(60, 98), Pt(80, 98)), (Pt(58, 97), Pt(78, 97))])
    }

    // Standing, facing right.
    private static func standing(arms: [(elbow: Pt, hand: Pt)], legs: [(knee: Pt, foot: Pt)]? = nil,
                                 head: Pt = Pt(100, 14), neck: Pt = Pt(100, 27), hip: Pt = Pt(100, 62)) -> Figure {
        Figure(head: head, neck: neck, hip: hip,
               legs: legs ?? [(Pt(102, 81), Pt(104, 100)), (Pt(98, 81), Pt(96, 100))], arms: arms)
    }

    private static let walking = standing(
        arms: [(Pt(92, 44), Pt(86, 58)), (Pt(108, 44), Pt(116, 56))],
        legs: [(Pt(112, 80), Pt(122, 99)), (Pt(94, 81), Pt(80, 98))], head: Pt(103, 14), neck: Pt(102, 27))

    static let poses: [String: Pose] = [
        "walk-snack": (trMark("Walking with short, easy strides"), [Panel(figure: walking, props: [.floor, .arrow(from: Pt(130, 40), to: Pt(165, 40))])]),
        "walk-10": (trMark("Walking with short strides"), [Panel(figure: walking, props: [.floor, .arrow(from: Pt(130, 40), to: Pt(165, 40))])]),
        "stand-and-walk": (trMark("Standing up and walking"), [Panel(figure: walking, props: [.floor, .arrow(from: Pt(130, 40), to: Pt(165, 40))])]),

        "press-up": (trMark("Prone press-up: first on the elbows, then on the hands with the hips down"), [
            Panel(figure: Figure(head: Pt(128, 68), neck: Pt(116, 78), hip: Pt(68, 95),
                                 legs: [(Pt(44, 97), Pt(18, 97)), (Pt(44, 96), Pt(18, 96))],
                                 arms: [(Pt(112, 97), Pt(134, 97)), (Pt(110, 96), Pt(132, 96))]),
                  props: [.floor, .step(1, trMark("On the elbows"))]),
            Panel(figure: Figure(head: Pt(122, 44), neck: Pt(114, 56), hip: Pt(68, 95),
                                 legs: [(Pt(44, 97), Pt(18, 97)), (Pt(44, 96), Pt(18, 96))],
                                 arms: [(Pt(116, 77), Pt(118, 97)), (Pt(114, 76), Pt(116, 96))], backCurve: Pt(96, 88)),
                  props: [.floor, .step(2, trMark("On the hands, hips down")), .arrow(from: Pt(150, 82), to: Pt(150, 52))]),
        ]),
        "knees-to-chest": (trMark("Knees to chest, lying on the back"), [
            Panel(figure: supine(hip: Pt(100, 95), legs: [(Pt(110, 62), Pt(134, 72)), (Pt(108, 63), Pt(132, 73))],
                                 arms: [(Pt(66, 84), Pt(106, 64)), (Pt(64, 83), Pt(104, 65))]),
                  props: [.floor, .curve(from: Pt(140, 58), via: Pt(132, 40), to: Pt(112, 44))]),
        ]),
        "slump-glide": (trMark("Nerve glide in sitting: knee straightens as the head looks up; knee bends as the head looks down"), [
            Panel(figure: Figure(head: Pt(90, 16), neck: Pt(84, 30), hip: Pt(78, 68), legs: [(Pt(110, 68), Pt(146, 62)), (Pt(108, 69), Pt(110, 99))],
                                 arms: [(Pt(90, 48), Pt(104, 66)), (Pt(88, 48), Pt(102, 66))], backCurve: Pt(70, 46)),
                  props: [.floor, .chair(x: 64, seatY: 70, backOnLeft: true), .step(1, trMark("Look up, straighten the knee")), .arrow(from: Pt(150, 80), to: Pt(160, 56)),
                          .curve(from: Pt(108, 14), via: Pt(100, 2), to: Pt(86, 4))]),
            Panel(figure: Figure(head: Pt(100, 38), neck: Pt(90, 34), hip: Pt(78, 68), legs: [(Pt(110, 68), Pt(108, 99)), (Pt(108, 69), Pt(112, 99))],
                                 arms: [(Pt(96, 50), Pt(106, 66)), (Pt(94, 50), Pt(104, 66))], backCurve: Pt(72, 40)),
                  props: [.floor, .chair(x: 64, seatY: 70, backOnLeft: true), .step(2, trMark("Look down, bend the knee")), .arrow(from: Pt(140, 70), to: Pt(124, 92)),
                          .curve(from: Pt(112, 22), via: Pt(120, 34), to: Pt(112, 46))]),
        ]),
        "ninety-ninety": (trMark("90-90 rest: on the back, calves on a chair seat, hips and knees at right angles"), [
            Panel(figure: supine(hip: Pt(100, 95), legs: [(Pt(100, 60), Pt(140, 60)), (Pt(98, 61), Pt(138, 61))]),
                  props: [.floor, .chair(x: 104, seatY: 64, backOnLeft: false)]),
        ]),
        "pelvic-tilt": (trMark("Pelvic tilt: knees bent, flatten the lower back into the floor"), [
            Panel(figure: supine(hip: Pt(100, 95), legs: [(Pt(126, 68), Pt(150, 99)), (Pt(124, 69), Pt(148, 98))]),
                  props: [.floor, .arrow(from: Pt(76, 72), to: Pt(76, 90)), .curve(from: Pt(104, 80), via: Pt(112, 72), to: Pt(118, 80))]),
        ]),
        "glute-bridge": (trMark("Glute bridge: hips lifted to a straight line from shoulders to knees"), [
            Panel(figure: Figure(head: Pt(26, 91), neck: Pt(40, 93), hip: Pt(96, 68), legs: [(Pt(132, 58), Pt(146, 99)), (Pt(130, 59), Pt(144, 98))],
                                 arms: [(Pt(58, 98), Pt(78, 98)), (Pt(56, 97), Pt(76, 97))]),
                  props: [.floor, .arrow(from: Pt(96, 96), to: Pt(96, 76))]),
        ]),
        "clamshell": (trMark("Clamshell: on the side, feet together, the top knee opens"), [
            Panel(figure: Figure(head: Pt(24, 82), neck: Pt(40, 88), hip: Pt(100, 90),
                                 legs: [(Pt(128, 68), Pt(112, 97)), (Pt(134, 96), Pt(112, 98))],
                                 arms: [(Pt(26, 98), Pt(12, 92)), (Pt(62, 92), Pt(84, 90))]),
                  props: [.floor, .curve(from: Pt(140, 92), via: Pt(150, 78), to: Pt(138, 64))]),
        ]),
        "bird-dog": (trMark("Bird-dog: on hands and knees, reach one arm forward and the other leg back"), [
            Panel(figure: Figure(head: Pt(142, 54), neck: Pt(128, 62), hip: Pt(78, 64),
                                 legs: [(Pt(40, 60), Pt(10, 58)), (Pt(78, 99), Pt(48, 99))],
                                 arms: [(Pt(154, 60), Pt(182, 58)), (Pt(128, 80), Pt(130, 99))]),
                  props: [.floor]),
        ]),
        "modified-plank": (trMark("Modified plank: on forearms and knees, straight from shoulders to knees"), [
            Panel(figure: Figure(head: Pt(146, 70), neck: Pt(132, 76), hip: Pt(90, 86), legs: [(Pt(52, 98), Pt(30, 80)), (Pt(50, 97), Pt(28, 79))],
                                 arms: [(Pt(130, 98), Pt(156, 98)), (Pt(128, 97), Pt(154, 97))]),
                  props: [.floor]),
        ]),
        "side-plank": (trMark("Side plank with knees bent: on one elbow, hips lifted"), [
            Panel(figure: Figure(head: Pt(30, 58), neck: Pt(42, 68), hip: Pt(96, 80), legs: [(Pt(140, 97), Pt(118, 99)), (Pt(138, 94), Pt(116, 96))],
                                 arms: [(Pt(44, 98), Pt(64, 98)), (Pt(60, 76), Pt(84, 80))]),
                  props: [.floor, .arrow(from: Pt(96, 100), to: Pt(96, 88))]),
        ]),
        "knee-extension": (trMark("Seated knee extension: sit tall, straighten one knee until the leg is level"), [
            Panel(figure: Figure(head: Pt(82, 16), neck: Pt(80, 29), hip: Pt(78, 68), legs: [(Pt(108, 68), Pt(142, 66)), (Pt(106, 69), Pt(108, 99))],
                                 arms: [(Pt(82, 50), Pt(96, 66)), (Pt(80, 50), Pt(94, 66))]),
                  props: [.floor, .chair(x: 64, seatY: 70, backOnLeft: true), .curve(from: Pt(112, 96), via: Pt(140, 92), to: Pt(148, 72))]),
        ]),
        "supine-glute-stretch": (trMark("Lying glute stretch: hug one knee toward the chest"), [
            Panel(figure: supine(hip: Pt(100, 95), legs: [(Pt(96, 62), Pt(120, 70)), (Pt(126, 68), Pt(150, 99))],
                                 arms: [(Pt(66, 80), Pt(96, 64)), (Pt(64, 79), Pt(94, 65))]),
                  props: [.floor]),
        ]),
        "figure-four": (trMark("Figure-four stretch: ankle over the other knee, draw that thigh in"), [
            Panel(figure: supine(hip: Pt(100, 95), legs: [(Pt(122, 64), Pt(146, 92)), (Pt(96, 56), Pt(126, 66))],
                                 arms: [(Pt(74, 78), Pt(112, 76)), (Pt(72, 77), Pt(110, 75))]),
                  props: [.floor, .arrow(from: Pt(150, 60), to: Pt(134, 48))]),
        ]),
        "knee-to-shoulder": (trMark("Knee to opposite shoulder: pull one knee across toward the other shoulder"), [
            Panel(figure: supine(hip: Pt(100, 95), legs: [(Pt(88, 64), Pt(112, 74)), (Pt(140, 97), Pt(180, 97))],
                                 arms: [(Pt(64, 80), Pt(88, 66)), (Pt(62, 79), Pt(86, 65))]),
                  props: [.floor, .curve(from: Pt(98, 52), via: Pt(76, 44), to: Pt(54, 70))]),
        ]),
        "childs-pose": (trMark("Child's pose: sit back toward the heels, arms forward, forehead down"), [
            Panel(figure: Figure(head: Pt(134, 91), neck: Pt(120, 88), hip: Pt(74, 86), legs: [(Pt(104, 99), Pt(66, 99)), (Pt(102, 98), Pt(64, 98))],
                                 arms: [(Pt(150, 96), Pt(180, 98)), (Pt(148, 95), Pt(178, 97))], backCurve: Pt(96, 60)),
                  props: [.floor]),
        ]),
        "hamstring-stretch": (trMark("Lying hamstring stretch: towel behind the thigh, straighten the knee to a gentle pull"), [
            Panel(figure: supine(hip: Pt(100, 95), legs: [(Pt(100, 58), Pt(124, 30)), (Pt(126, 68), Pt(150, 99))],
                                 arms: [(Pt(64, 78), Pt(86, 66)), (Pt(62, 77), Pt(84, 65))]),
                  props: [.floor, .towel([Pt(86, 66), Pt(100, 64), Pt(86, 68)]), .curve(from: Pt(132, 56), via: Pt(140, 40), to: Pt(130, 26))]),
        ]),

        // Desk basics.
        "overhead-reach": (trMark("Overhead reach: grow tall, arms up, without leaning back"), [
            Panel(figure: standing(arms: [(Pt(104, 22), Pt(102, 6)), (Pt(96, 22), Pt(98, 6))],
                                   legs: [(Pt(102, 86), Pt(104, 100)), (Pt(98, 86), Pt(96, 100))], head: Pt(100, 32), neck: Pt(100, 44), hip: Pt(100, 72)),
                  props: [.floor, .arrow(from: Pt(124, 40), to: Pt(124, 14))]),
        ]),
        "standing-back-bend": (trMark("Standing back bend: hands on the lower back, lean back a little"), [
            Panel(figure: standing(arms: [(Pt(90, 40), Pt(94, 58)), (Pt(88, 40), Pt(92, 58))], head: Pt(92, 16), neck: Pt(95, 28)),
                  props: [.floor, .curve(from: Pt(120, 22), via: Pt(110, 6), to: Pt(92, 2))]),
        ]),
        "hip-flexor-stretch": (trMark("Standing hip-flexor stretch: a short lunge, holding a chair"), [
            Panel(figure: standing(arms: [(Pt(110, 42), Pt(122, 50)), (Pt(108, 42), Pt(120, 50))],
                                   legs: [(Pt(118, 80), Pt(118, 100)), (Pt(86, 80), Pt(70, 96))], head: Pt(102, 16), neck: Pt(101, 29), hip: Pt(100, 63)),
                  props: [.floor, .chair(x: 122, seatY: 66, backOnLeft: true)]),
        ]),
        "calf-raise": (trMark("Calf raise: rise onto the toes, lower slowly"), [
            Panel(figure: standing(arms: [(Pt(108, 44), Pt(124, 52)), (Pt(106, 44), Pt(122, 52))],
                                   legs: [(Pt(102, 76), Pt(104, 94)), (Pt(98, 76), Pt(96, 94))], head: Pt(100, 8), neck: Pt(100, 21), hip: Pt(100, 56)),
                  props: [.floor, .arrow(from: Pt(80, 90), to: Pt(80, 70))]),
        ]),
        "chin-tuck": (trMark("Chin tuck: glide the chin straight back, level"), [
            Panel(figure: Figure(head: Pt(86, 20), neck: Pt(82, 32), hip: Pt(78, 68), legs: [(Pt(108, 68), Pt(110, 99)), (Pt(106, 69), Pt(106, 99))],
                                 arms: [(Pt(84, 50), Pt(100, 64)), (Pt(82, 50), Pt(98, 64))]),
                  props: [.floor, .chair(x: 64, seatY: 70, backOnLeft: true), .arrow(from: Pt(112, 20), to: Pt(98, 20))]),
        ]),
        "posture-check": (trMark("Posture: feet flat, back supported, screen at eye level"), [
            Panel(figure: Figure(head: Pt(80, 16), neck: Pt(78, 29), hip: Pt(76, 68), legs: [(Pt(106, 68), Pt(108, 99)), (Pt(104, 69), Pt(104, 99))],
                                 arms: [(Pt(84, 48), Pt(104, 58)), (Pt(82, 48), Pt(102, 58))]),
                  props: [.floor, .chair(x: 62, seatY: 70, backOnLeft: true), .desk(x: 110)]),
        ]),
        "shoulder-rolls": (trMark("Shoulder rolls: up, back and down in slow circles"), [
            Panel(figure: standing(arms: [(Pt(102, 46), Pt(102, 62)), (Pt(98, 46), Pt(98, 62))]),
                  props: [.floor, .curve(from: Pt(114, 30), via: Pt(126, 12), to: Pt(112, 18))]),
        ]),
    ]
}
