import Foundation
import Logging
import LimberCore
import LimberConfig
import LimberHistory
import Systemd

/// The methods that read or write the history database.
extension ControlAPI {
    // MARK: History

    func requireHistory() throws -> HistoryStore {
        guard let h = service.history else {
            throw BusMethodError.limber(LimberBus.ErrorName.historyUnavailable,
                                        "the history database is not available (see journalctl --user -u limberd)")
        }
        return h
    }

    func checkIn(_ args: [BusValue]) throws -> BusValue {
        guard case .byte(let pain) = args[0], pain <= 10 else {
            throw BusMethodError.limber(LimberBus.ErrorName.invalidArgument, "pain must be 0 to 10")
        }
        let reachText = args[1].stringValue ?? ""
        var reach: LegReach? = nil
        if !reachText.isEmpty {
            guard let r = LegReach(rawValue: reachText) else {
                throw BusMethodError.limber(LimberBus.ErrorName.invalidArgument,
                                            "reach \(Self.quoted(reachText)) is not one of " + LegReach.allCases.map(\.rawValue).joined(separator: ", "))
            }
            reach = r
        }
        var flags: [RedFlag] = []
        for f in args[2].stringArrayValue ?? [] {
            guard let flag = RedFlag(rawValue: f) else {
                throw BusMethodError.limber(LimberBus.ErrorName.invalidArgument,
                                            "red flag \(Self.quoted(f)) is not one of " + RedFlag.allCases.map(\.rawValue).joined(separator: ", "))
            }
            flags.append(flag)
        }
        // A red flag stops every exercise reminder at once, history or not.
        if !flags.isEmpty { service.raiseRedFlag(flags, source: "cli") }
        let history = try requireHistory()
        let checkIn = CheckIn(at: now.wall, pain: Int(pain), reach: reach, redFlags: flags, note: args[3].stringValue ?? "", source: .cli)
        let r = history.checkIn(checkIn)
        // Phases that end by check-ins move on; worsening offers to go back.
        service.sendPhaseEvent(.checkIn(pain: Int(pain), reach: reach?.rank ?? 0), source: "check-ins")
        return .vardict([
            "id": .int64(r.id ?? -1),
            "urgent": .bool(r.urgent),
            "advice": .strings(r.advice),
            "red_flags": .strings(r.redFlags.map(\.rawValue)),
            "red_flags_in_note": .strings(r.redFlagsInNote.map(\.rawValue)),
            "reach_change": .string(r.reachChange?.rawValue ?? ""),
            "store_error": .string(r.storeError ?? ""),
        ])
    }

    var timeZone: TimeZone { TimeZone(identifier: service.engine.state.timeZoneID) ?? .current }

    func stats(_ text: String) throws -> BusValue {
        let wall = now.wall
        let period: StatsPeriod
        switch text {
        case "week", "": period = .week
        case "month": period = .month
        default:
            let today = Day(wall, in: timeZone)
            guard let day = Day(text), day <= today, day.days(to: today) <= Self.maxStatsDays else {
                throw BusMethodError.limber(LimberBus.ErrorName.invalidArgument,
                                            "period \(Self.quoted(text)) is not week, month or a day YYYY-MM-DD within the last \(Self.maxStatsDays) days")
            }
            period = .since(day)
        }
        let history = try requireHistory()
        // Today's activity so far, not only up to the last presence change.
        service.activity.flush(at: service.clock())
        do {
            let stats = try history.stats(period, now: wall, timeZone: timeZone)
            return .string(String(decoding: try stats.json(), as: UTF8.self))
        } catch {
            throw BusMethodError.limber(LimberBus.ErrorName.historyUnavailable, "cannot read the history: \(error)")
        }
    }

    func forgetHistory() throws -> BusValue {
        let history = try requireHistory()
        do {
            let r = try history.forgetAll()
            log.notice("history forgotten", metadata: ["outcomes": "\(r.outcomes)", "check-ins": "\(r.checkIns)"])
            return .vardict([
                "outcomes": .uint32(UInt32(clamping: r.outcomes)),
                "check_ins": .uint32(UInt32(clamping: r.checkIns)),
                "activity_days": .uint32(UInt32(clamping: r.activityDays)),
            ])
        } catch {
            throw BusMethodError.limber(LimberBus.ErrorName.historyUnavailable, "cannot delete the history: \(error)")
        }
    }
}
