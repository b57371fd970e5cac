function __limberctl_should_offer_completions_for_flags_or_options -a expected_commands
    set -l non_repeating_flags_or_options $argv[2..]
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __limberctl_parse_tokens
    test "$commands" = "$expected_commands"; and return $non_repeating_flags_or_options_absent
end

function __limberctl_should_offer_completions_for_positional -a expected_commands positional_index_comparison expected_positional_index
    set -l non_repeating_flags_or_options
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __limberctl_parse_tokens
    test "$commands" = "$expected_commands" -a \( "$positional_index" "$positional_index_comparison" "$expected_positional_index" \)
end

function __limberctl_parse_tokens -S
    set -l unparsed_tokens (__limberctl_tokens -pc)
    switch $unparsed_tokens[1]
    case 'limberctl'
        __limberctl_parse_subcommand 0 'version' 'h/help'
        switch $unparsed_tokens[1]
        case 'status'
            __limberctl_parse_subcommand 0 'json' 'short' 'version' 'h/help'
        case 'next'
            __limberctl_parse_subcommand 0 'json' 'version' 'h/help'
        case 'today'
            __limberctl_parse_subcommand 0 'json' 'version' 'h/help'
        case 'done'
            __limberctl_parse_subcommand 1 'version' 'h/help'
        case 'snooze'
            __limberctl_parse_subcommand 1 'reminder=' 'version' 'h/help'
        case 'skip'
            __limberctl_parse_subcommand 1 'version' 'h/help'
        case 'trigger'
            __limberctl_parse_subcommand 1 'version' 'h/help'
        case 'break'
            __limberctl_parse_subcommand 0 'version' 'h/help'
        case 'moved'
            __limberctl_parse_subcommand 0 'version' 'h/help'
        case 'pause'
            __limberctl_parse_subcommand 1 'until=' 'version' 'h/help'
        case 'resume'
            __limberctl_parse_subcommand 0 'red-flag-cleared' 'version' 'h/help'
        case 'programs'
            __limberctl_parse_subcommand 0 'version' 'h/help'
            switch $unparsed_tokens[1]
            case 'list'
                __limberctl_parse_subcommand 0 'json' 'version' 'h/help'
            case 'show'
                __limberctl_parse_subcommand 1 'json' 'version' 'h/help'
            case 'enable'
                __limberctl_parse_subcommand 1 'version' 'h/help'
            case 'disable'
                __limberctl_parse_subcommand 1 'version' 'h/help'
            case 'phase'
                __limberctl_parse_subcommand 2 'json' 'settled' 'not-yet' 'version' 'h/help'
            case 'start'
                __limberctl_parse_subcommand 1 'json' 'on=' 'version' 'h/help'
            end
        case 'guide'
            __limberctl_parse_subcommand -r 1 'print-path' 'version' 'h/help'
        case 'plugins'
            __limberctl_parse_subcommand 0 'json' 'version' 'h/help'
        case 'check'
            __limberctl_parse_subcommand -r 1 'json' 'version' 'h/help'
        case 'reload'
            __limberctl_parse_subcommand 0 'version' 'h/help'
        case 'watch'
            __limberctl_parse_subcommand 0 'json' 'status' 'version' 'h/help'
        case 'checkin'
            __limberctl_parse_subcommand 0 'json' 'pain=' 'reach=' 'red-flag=+' 'note=' 'version' 'h/help'
        case 'stats'
            __limberctl_parse_subcommand 0 'json' 'week' 'month' 'since=' 'version' 'h/help'
        case 'export'
            __limberctl_parse_subcommand 0 'csv' 'json' 'since=' 'o/output=' 'version' 'h/help'
        case 'report'
            __limberctl_parse_subcommand 0 'html=' 'week' 'version' 'h/help'
        case 'history'
            __limberctl_parse_subcommand 0 'version' 'h/help'
            switch $unparsed_tokens[1]
            case 'forget'
                __limberctl_parse_subcommand 0 'yes' 'version' 'h/help'
            end
        case 'help'
            __limberctl_parse_subcommand -r 1 'version'
        end
    end
end

function __limberctl_tokens
    if test (string split -m 1 -f 1 -- . "$FISH_VERSION") -gt 3
        commandline --tokens-raw $argv
    else
        commandline -o $argv
    end
end

function __limberctl_parse_subcommand -S -a positional_count
    argparse -s r -- $argv
    set -l option_specs $argv[2..]
    set -l is_repeating_positional $_flag_r
    set -el _flag_r
    set -a commands $unparsed_tokens[1]
    set positional_index 0
    while true
        set -e unparsed_tokens[1]
        argparse -sn "$commands" $option_specs -- $unparsed_tokens 2> /dev/null
        set unparsed_tokens $argv
        set positional_index (math $positional_index + 1)
        for non_repeating_flag_or_option in $non_repeating_flags_or_options
            if set -ql "_flag_$(string replace -a - _ -- $non_repeating_flag_or_option)"
                set non_repeating_flags_or_options_absent 1
                break
            end
        end
        test (count $unparsed_tokens) -eq 0 -o \( -z "$is_repeating_positional" -a "$positional_index" -gt "$positional_count" \) && break
    end
end

function __limberctl_complete_directories
    set -l token (commandline -t)
    string match -- '*/' $token
    set -l subdirs $token*/
    printf %s\n $subdirs
end

function __limberctl_custom_completion
    set -x SAP_SHELL fish
    set -x SAP_SHELL_VERSION $FISH_VERSION
    set -l tokens (__limberctl_tokens -p)
    if test -z "$(__limberctl_tokens -t)"
        set -l index (count (__limberctl_tokens -pc))
        set tokens $tokens[..$index] \'\' $tokens[(math $index + 1)..]
    end
    command $tokens[1] $argv $tokens
end

complete -c 'limberctl' -f
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_flags_or_options "limberctl" version' -l 'version' -d 'Show the version.'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_flags_or_options "limberctl" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_positional "limberctl" -eq 1' -fa 'status' -d 'Show what limberd is doing: the next reminder, the one showing, today\'s count.'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_positional "limberctl" -eq 1' -fa 'next' -d 'List the reminders of the enabled programs with their next times.'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_positional "limberctl" -eq 1' -fa 'today' -d 'The plan for today: what is still to come, and what was done, skipped or missed so far.'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_positional "limberctl" -eq 1' -fa 'done' -d 'Answer the reminder showing: done.'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_positional "limberctl" -eq 1' -fa 'snooze' -d 'Snooze the reminder showing (for its own snooze length, or DURATION).'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_positional "limberctl" -eq 1' -fa 'skip' -d 'Answer the reminder showing: skip it.'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_positional "limberctl" -eq 1' -fa 'trigger' -d 'Show a reminder now, whatever its schedule.'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_positional "limberctl" -eq 1' -fa 'break' -d 'Take a break now: show the next reminder due at once.'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_positional "limberctl" -eq 1' -fa 'moved' -d 'Say you just took a break: sit breaks start counting again.'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_positional "limberctl" -eq 1' -fa 'pause' -d 'Pause reminders: for DURATION, until a time, or until resumed.'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_positional "limberctl" -eq 1' -fa 'resume' -d 'Resume reminders after a pause (or, with --red-flag-cleared, after a red flag).'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_positional "limberctl" -eq 1' -fa 'programs' -d 'List, show, enable and disable programs; see and move their phases.'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_positional "limberctl" -eq 1' -fa 'guide' -d 'Open the exercise guide (steps, pictures, cautions, red flags) of a program, or at one exercise.'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_positional "limberctl" -eq 1' -fa 'plugins' -d 'List limberd\'s plugins and their state.'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_positional "limberctl" -eq 1' -fa 'check' -d 'Check programs and settings (as limberd --check does), without the daemon.'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_positional "limberctl" -eq 1' -fa 'reload' -d 'Reload programs and settings; waits until done.'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_positional "limberctl" -eq 1' -fa 'watch' -d 'Print events as they happen (reminders shown and answered, reloads, status), for status bars.'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_positional "limberctl" -eq 1' -fa 'checkin' -d 'Record how your pain is: 0 to 10, how far down the leg, red flags.'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_positional "limberctl" -eq 1' -fa 'stats' -d 'Adherence, streaks and a chart per day (default: the last 7 days).'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_positional "limberctl" -eq 1' -fa 'export' -d 'Export the history as CSV or JSON (to stdout, or --output FILE).'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_positional "limberctl" -eq 1' -fa 'report' -d 'Write a self-contained HTML report (charts, tables, pain trend).'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_positional "limberctl" -eq 1' -fa 'history' -d 'Manage the stored history.'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_positional "limberctl" -eq 1' -fa 'help' -d 'Show subcommand help information.'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_flags_or_options "limberctl status" json' -l 'json' -d 'Print JSON (the stable shape in limberctl(1) and docs/api.md).'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_flags_or_options "limberctl status" short' -l 'short' -d 'Print only the short text for a status bar (tmux, polybar).'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_flags_or_options "limberctl status" version' -l 'version' -d 'Show the version.'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_flags_or_options "limberctl status" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_flags_or_options "limberctl next" json' -l 'json' -d 'Print JSON (the stable shape in limberctl(1) and docs/api.md).'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_flags_or_options "limberctl next" version' -l 'version' -d 'Show the version.'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_flags_or_options "limberctl next" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_flags_or_options "limberctl today" json' -l 'json' -d 'Print JSON (the stable shape in limberctl(1) and docs/api.md).'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_flags_or_options "limberctl today" version' -l 'version' -d 'Show the version.'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_flags_or_options "limberctl today" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_positional "limberctl done" -eq 1' -fka '(__limberctl_custom_completion ---completion done -- positional@0 (count (__limberctl_tokens -pc)) (__limberctl_tokens -tC))'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_flags_or_options "limberctl done" version' -l 'version' -d 'Show the version.'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_flags_or_options "limberctl done" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_positional "limberctl snooze" -eq 1' -fka '5m 10m 15m 30m 1h'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_flags_or_options "limberctl snooze" reminder' -l 'reminder' -d 'The reminder\'s id (default: the one showing).' -rfka '(__limberctl_custom_completion ---completion snooze -- --reminder (count (__limberctl_tokens -pc)) (__limberctl_tokens -tC))'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_flags_or_options "limberctl snooze" version' -l 'version' -d 'Show the version.'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_flags_or_options "limberctl snooze" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_positional "limberctl skip" -eq 1' -fka '(__limberctl_custom_completion ---completion skip -- positional@0 (count (__limberctl_tokens -pc)) (__limberctl_tokens -tC))'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_flags_or_options "limberctl skip" version' -l 'version' -d 'Show the version.'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_flags_or_options "limberctl skip" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_positional "limberctl trigger" -eq 1' -fka '(__limberctl_custom_completion ---completion trigger -- positional@0 (count (__limberctl_tokens -pc)) (__limberctl_tokens -tC))'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_flags_or_options "limberctl trigger" version' -l 'version' -d 'Show the version.'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_flags_or_options "limberctl trigger" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_flags_or_options "limberctl break" version' -l 'version' -d 'Show the version.'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_flags_or_options "limberctl break" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_flags_or_options "limberctl moved" version' -l 'version' -d 'Show the version.'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_flags_or_options "limberctl moved" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_positional "limberctl pause" -eq 1' -fka '15m 30m 1h 2h 4h 1d'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_flags_or_options "limberctl pause" until' -l 'until' -d 'Pause until this time of day.' -rfka '(__limberctl_custom_completion ---completion pause -- --until (count (__limberctl_tokens -pc)) (__limberctl_tokens -tC))'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_flags_or_options "limberctl pause" version' -l 'version' -d 'Show the version.'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_flags_or_options "limberctl pause" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_flags_or_options "limberctl resume" red-flag-cleared' -l 'red-flag-cleared' -d 'The red flag you reported has been seen to: exercise reminders come back.'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_flags_or_options "limberctl resume" version' -l 'version' -d 'Show the version.'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_flags_or_options "limberctl resume" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_flags_or_options "limberctl programs" version' -l 'version' -d 'Show the version.'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_flags_or_options "limberctl programs" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_positional "limberctl programs" -eq 1' -fa 'list' -d 'List the installed programs.'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_positional "limberctl programs" -eq 1' -fa 'show' -d 'Show one program: its reminders, exercises and phases.'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_positional "limberctl programs" -eq 1' -fa 'enable' -d 'Enable a program (written to limber.toml.d/50-limberctl.toml, then reloaded).'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_positional "limberctl programs" -eq 1' -fa 'disable' -d 'Disable a program (written to limber.toml.d/50-limberctl.toml, then reloaded).'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_positional "limberctl programs" -eq 1' -fa 'phase' -d 'Show where a program\'s phases stand and why; move it to PHASE (a new flare: the first).'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_positional "limberctl programs" -eq 1' -fa 'start' -d 'Set the day a program started (today unless --on); its phases count from it.'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_flags_or_options "limberctl programs list" json' -l 'json' -d 'Print JSON (the stable shape in limberctl(1) and docs/api.md).'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_flags_or_options "limberctl programs list" version' -l 'version' -d 'Show the version.'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_flags_or_options "limberctl programs list" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_flags_or_options "limberctl programs show" json' -l 'json' -d 'Print JSON (the stable shape in limberctl(1) and docs/api.md).'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_positional "limberctl programs show" -eq 1' -fka '(__limberctl_custom_completion ---completion programs show -- positional@0 (count (__limberctl_tokens -pc)) (__limberctl_tokens -tC))'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_flags_or_options "limberctl programs show" version' -l 'version' -d 'Show the version.'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_flags_or_options "limberctl programs show" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_positional "limberctl programs enable" -eq 1' -fka '(__limberctl_custom_completion ---completion programs enable -- positional@0 (count (__limberctl_tokens -pc)) (__limberctl_tokens -tC))'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_flags_or_options "limberctl programs enable" version' -l 'version' -d 'Show the version.'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_flags_or_options "limberctl programs enable" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_positional "limberctl programs disable" -eq 1' -fka '(__limberctl_custom_completion ---completion programs disable -- positional@0 (count (__limberctl_tokens -pc)) (__limberctl_tokens -tC))'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_flags_or_options "limberctl programs disable" version' -l 'version' -d 'Show the version.'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_flags_or_options "limberctl programs disable" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_flags_or_options "limberctl programs phase" json' -l 'json' -d 'Print JSON (the stable shape in limberctl(1) and docs/api.md).'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_positional "limberctl programs phase" -eq 1' -fka '(__limberctl_custom_completion ---completion programs phase -- positional@0 (count (__limberctl_tokens -pc)) (__limberctl_tokens -tC))'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_positional "limberctl programs phase" -eq 2' -fka '(__limberctl_custom_completion ---completion programs phase -- positional@1 (count (__limberctl_tokens -pc)) (__limberctl_tokens -tC))'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_flags_or_options "limberctl programs phase" settled' -l 'settled' -d 'Answer the phase\'s question Yes ("Has the flare settled?").'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_flags_or_options "limberctl programs phase" not-yet' -l 'not-yet' -d 'Answer the phase\'s question Not yet (asked again in a few days).'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_flags_or_options "limberctl programs phase" version' -l 'version' -d 'Show the version.'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_flags_or_options "limberctl programs phase" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_flags_or_options "limberctl programs start" json' -l 'json' -d 'Print JSON (the stable shape in limberctl(1) and docs/api.md).'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_positional "limberctl programs start" -eq 1' -fka '(__limberctl_custom_completion ---completion programs start -- positional@0 (count (__limberctl_tokens -pc)) (__limberctl_tokens -tC))'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_flags_or_options "limberctl programs start" on' -l 'on' -d 'The day it started.' -rfka '(__limberctl_custom_completion ---completion programs start -- --on (count (__limberctl_tokens -pc)) (__limberctl_tokens -tC))'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_flags_or_options "limberctl programs start" version' -l 'version' -d 'Show the version.'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_flags_or_options "limberctl programs start" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_positional "limberctl guide" -ge 1' -fka '(__limberctl_custom_completion ---completion guide -- positional@0 (count (__limberctl_tokens -pc)) (__limberctl_tokens -tC))'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_flags_or_options "limberctl guide" print-path' -l 'print-path' -d 'Write the guide and print its path; open nothing.'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_flags_or_options "limberctl guide" version' -l 'version' -d 'Show the version.'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_flags_or_options "limberctl guide" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_flags_or_options "limberctl plugins" json' -l 'json' -d 'Print JSON (the stable shape in limberctl(1) and docs/api.md).'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_flags_or_options "limberctl plugins" version' -l 'version' -d 'Show the version.'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_flags_or_options "limberctl plugins" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_flags_or_options "limberctl check" json' -l 'json' -d 'Print JSON (the stable shape in limberctl(1) and docs/api.md).'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_positional "limberctl check" -ge 1' -fa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'toml\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_flags_or_options "limberctl check" version' -l 'version' -d 'Show the version.'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_flags_or_options "limberctl check" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_flags_or_options "limberctl reload" version' -l 'version' -d 'Show the version.'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_flags_or_options "limberctl reload" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_flags_or_options "limberctl watch" json' -l 'json' -d 'Print JSON (the stable shape in limberctl(1) and docs/api.md).'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_flags_or_options "limberctl watch" status' -l 'status' -d 'Print only the status (text, or JSON with --json) when it changes.'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_flags_or_options "limberctl watch" version' -l 'version' -d 'Show the version.'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_flags_or_options "limberctl watch" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_flags_or_options "limberctl checkin" json' -l 'json' -d 'Print JSON (the stable shape in limberctl(1) and docs/api.md).'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_flags_or_options "limberctl checkin" pain' -l 'pain' -d 'Pain from 0 (none) to 10 (worst imaginable).' -rfka '0 1 2 3 4 5 6 7 8 9 10'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_flags_or_options "limberctl checkin" reach' -l 'reach' -d 'How far down it reaches: back, buttock, thigh, knee, calf, foot.' -rfka 'back buttock thigh knee calf foot'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_flags_or_options "limberctl checkin"' -l 'red-flag' -d 'A red flag you have (repeat for more).' -rfka 'bladder-bowel saddle-numbness foot-drop progressive-weakness'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_flags_or_options "limberctl checkin" note' -l 'note' -d 'A note in your words.' -rfka ''
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_flags_or_options "limberctl checkin" version' -l 'version' -d 'Show the version.'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_flags_or_options "limberctl checkin" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_flags_or_options "limberctl stats" json' -l 'json' -d 'Print JSON (the stable shape in limberctl(1) and docs/api.md).'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_flags_or_options "limberctl stats" week' -l 'week' -d 'The last 7 days.'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_flags_or_options "limberctl stats" month' -l 'month' -d 'The last 30 days.'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_flags_or_options "limberctl stats" since' -l 'since' -d 'From this day through today.' -rfka '(__limberctl_custom_completion ---completion stats -- --since (count (__limberctl_tokens -pc)) (__limberctl_tokens -tC))'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_flags_or_options "limberctl stats" version' -l 'version' -d 'Show the version.'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_flags_or_options "limberctl stats" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_flags_or_options "limberctl export" csv' -l 'csv' -d 'CSV (RFC 4180), one row per outcome or check-in.'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_flags_or_options "limberctl export" json' -l 'json' -d 'JSON (schema 1, docs/history.md).'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_flags_or_options "limberctl export" since' -l 'since' -d 'Only from this day on.' -rfka '(__limberctl_custom_completion ---completion export -- --since (count (__limberctl_tokens -pc)) (__limberctl_tokens -tC))'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_flags_or_options "limberctl export" o output' -s 'o' -l 'output' -d 'Write to this file (- or none: standard output).' -rF
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_flags_or_options "limberctl export" version' -l 'version' -d 'Show the version.'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_flags_or_options "limberctl export" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_flags_or_options "limberctl report" html' -l 'html' -d 'The file to write; - for standard output.' -rfa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'html\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_flags_or_options "limberctl report" week' -l 'week' -d 'The last 7 days (default: 30).'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_flags_or_options "limberctl report" version' -l 'version' -d 'Show the version.'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_flags_or_options "limberctl report" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_flags_or_options "limberctl history" version' -l 'version' -d 'Show the version.'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_flags_or_options "limberctl history" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_positional "limberctl history" -eq 1' -fa 'forget' -d 'Delete the whole history (outcomes, check-ins, activity), after asking.'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_flags_or_options "limberctl history forget" yes' -l 'yes' -d 'Do not ask.'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_flags_or_options "limberctl history forget" version' -l 'version' -d 'Show the version.'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_flags_or_options "limberctl history forget" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'limberctl' -n '__limberctl_should_offer_completions_for_flags_or_options "limberctl help" version' -l 'version' -d 'Show the version.'
