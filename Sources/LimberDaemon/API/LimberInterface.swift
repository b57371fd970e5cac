// Generated from docs/org.limber.Limber1.xml, the source of the interface.
// Do not edit: edit the XML, then run
//   LIMBER_REGENERATE_INTERFACE=1 swift test --filter APIInterfaceTests
// (the test fails while the two differ).

/// The `<interface>` element limberd serves for org.limber.Limber1.
public enum LimberInterface {
    public static let xml = #"""
 <interface name="org.limber.Limber1">
  <!-- Everything a status bar needs, as a{sv} (keys in docs/api.md). -->
  <method name="Status">
   <arg name="status" type="a{sv}" direction="out"/>
  </method>
  <!-- Every installed program: id, name, summary, version, enabled, file. -->
  <method name="ListPrograms">
   <arg name="programs" type="aa{sv}" direction="out"/>
  </method>
  <!-- One installed program in full (exercises, reminders, phases). -->
  <method name="DescribeProgram">
   <arg name="id" type="s" direction="in"/>
   <arg name="program" type="a{sv}" direction="out"/>
  </method>
  <!-- The reminder rules of the enabled programs, with their next times. -->
  <method name="ListReminders">
   <arg name="reminders" type="aa{sv}" direction="out"/>
  </method>
  <!-- Enable or disable a program: written to
       $XDG_CONFIG_HOME/limber/limber.toml.d/50-limberctl.toml, then
       reloaded. Returns the enabled program ids. -->
  <method name="EnableProgram">
   <arg name="id" type="s" direction="in"/>
   <arg name="enabled" type="as" direction="out"/>
  </method>
  <method name="DisableProgram">
   <arg name="id" type="s" direction="in"/>
   <arg name="enabled" type="as" direction="out"/>
  </method>
  <!-- Answer the reminder showing. id 0: whichever is showing. -->
  <method name="Done">
   <arg name="id" type="t" direction="in"/>
  </method>
  <!-- duration: "10m", "1h30m", "90s"; "" for the reminder's own snooze. -->
  <method name="Snooze">
   <arg name="id" type="t" direction="in"/>
   <arg name="duration" type="s" direction="in"/>
   <arg name="until" type="t" direction="out"/>
  </method>
  <method name="Skip">
   <arg name="id" type="t" direction="in"/>
  </method>
  <!-- Show a rule ("program/rule") now. Returns the id of the reminder showing. -->
  <method name="TriggerNow">
   <arg name="rule" type="s" direction="in"/>
   <arg name="id" type="t" direction="out"/>
  </method>
  <!-- Pause for a duration ("" = until Resume). Returns when the pause
       ends (unix seconds; 0 = until Resume). -->
  <method name="Pause">
   <arg name="duration" type="s" direction="in"/>
   <arg name="until" type="t" direction="out"/>
  </method>
  <!-- Pause until the next HH:MM (local time). -->
  <method name="PauseUntil">
   <arg name="time" type="s" direction="in"/>
   <arg name="until" type="t" direction="out"/>
  </method>
  <method name="Resume">
  </method>
  <!-- Reload programs and settings; returns when done. On errors the
       running configuration stays and the call fails with ConfigInvalid,
       one "file:line:column: message" per line. -->
  <method name="Reload">
  </method>
  <!-- A pain check-in: pain 0..10, reach (back, buttock, thigh, knee,
       calf, foot or ""), red flags (bladder-bowel, saddle-numbness,
       foot-drop, progressive-weakness), a note. Returns the advice. -->
  <method name="CheckIn">
   <arg name="pain" type="y" direction="in"/>
   <arg name="reach" type="s" direction="in"/>
   <arg name="red_flags" type="as" direction="in"/>
   <arg name="note" type="s" direction="in"/>
   <arg name="response" type="a{sv}" direction="out"/>
  </method>
  <!-- period: "week", "month" or a first day "YYYY-MM-DD". The stats as
       JSON (schema 1, docs/history.md). -->
  <method name="Stats">
   <arg name="period" type="s" direction="in"/>
   <arg name="json" type="s" direction="out"/>
  </method>
  <!-- Deletes the whole history. Returns the rows deleted:
       outcomes, check_ins, activity_days. -->
  <method name="ForgetHistory">
   <arg name="deleted" type="a{sv}" direction="out"/>
  </method>
  <!-- Plugins: id, state (running, failed, disabled), kind, detail. -->
  <method name="ListPlugins">
   <arg name="plugins" type="a(ssss)" direction="out"/>
  </method>

  <!-- A reminder appeared (or changed in place: same id, more rules). -->
  <signal name="ReminderShown">
   <arg name="id" type="t"/>
   <arg name="title" type="s"/>
   <arg name="rules" type="as"/>
   <arg name="body" type="s"/>
  </signal>
  <!-- A reminder ended: outcome done, snoozed, skipped, dismissed,
       expired or paused. -->
  <signal name="ReminderAnswered">
   <arg name="id" type="t"/>
   <arg name="outcome" type="s"/>
   <arg name="rules" type="as"/>
  </signal>
  <!-- A reload finished: ok, and its errors ("file:line:column: message"). -->
  <signal name="Reloaded">
   <arg name="ok" type="b"/>
   <arg name="errors" type="as"/>
  </signal>

  <!-- All properties are read-only and announced with PropertiesChanged. -->
  <property name="Version" type="s" access="read"/>
  <!-- paused, showing, away, scheduled or idle (nothing scheduled). -->
  <property name="State" type="s" access="read"/>
  <property name="StatusLine" type="s" access="read"/>
  <property name="Paused" type="b" access="read"/>
  <!-- unix seconds; 0 = not paused, or paused until Resume. -->
  <property name="PausedUntil" type="t" access="read"/>
  <!-- (rule, title, unix seconds); ("", "", 0) when nothing is scheduled. -->
  <property name="NextReminder" type="(sst)" access="read"/>
  <!-- (id, title); (0, "") when none is showing. -->
  <property name="Showing" type="(ts)" access="read"/>
  <property name="EnabledPrograms" type="as" access="read"/>
  <property name="DoneToday" type="u" access="read"/>
  <property name="ShownToday" type="u" access="read"/>
  <!-- The errors of the last reload, empty when it succeeded. -->
  <property name="ConfigErrors" type="as" access="read"/>
 </interface>
"""#
}
