function __limberd_should_offer_completions_for_flags_or_options -a expected_commands
    set -l non_repeating_flags_or_options $argv[2..]
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __limberd_parse_tokens
    test "$commands" = "$expected_commands"; and return $non_repeating_flags_or_options_absent
end

function __limberd_should_offer_completions_for_positional -a expected_commands positional_index_comparison expected_positional_index
    set -l non_repeating_flags_or_options
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __limberd_parse_tokens
    test "$commands" = "$expected_commands" -a \( "$positional_index" "$positional_index_comparison" "$expected_positional_index" \)
end

function __limberd_parse_tokens -S
    set -l unparsed_tokens (__limberd_tokens -pc)
    switch $unparsed_tokens[1]
    case 'limberd'
        __limberd_parse_subcommand -r 1 'foreground' 'time-scale=' 'state-dir=' 'check' 'v/verbose' 'explain=' 'date=' 'phase=' 'version' 'h/help'
        switch $unparsed_tokens[1]
        case 'help'
            __limberd_parse_subcommand -r 1 'version'
        end
    end
end

function __limberd_tokens
    if test (string split -m 1 -f 1 -- . "$FISH_VERSION") -gt 3
        commandline --tokens-raw $argv
    else
        commandline -o $argv
    end
end

function __limberd_parse_subcommand -S -a positional_count
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

function __limberd_complete_directories
    set -l token (commandline -t)
    string match -- '*/' $token
    set -l subdirs $token*/
    printf %s\n $subdirs
end

function __limberd_custom_completion
    set -x SAP_SHELL fish
    set -x SAP_SHELL_VERSION $FISH_VERSION
    set -l tokens (__limberd_tokens -p)
    if test -z "$(__limberd_tokens -t)"
        set -l index (count (__limberd_tokens -pc))
        set tokens $tokens[..$index] \'\' $tokens[(math $index + 1)..]
    end
    command $tokens[1] $argv $tokens
end

complete -c 'limberd' -f
complete -c 'limberd' -n '__limberd_should_offer_completions_for_flags_or_options "limberd" foreground' -l 'foreground' -d 'Run in the foreground, printing reminders to the terminal when no notification service is reachable.'
complete -c 'limberd' -n '__limberd_should_offer_completions_for_flags_or_options "limberd" time-scale' -l 'time-scale' -d 'Run the schedule N times faster (a demo, or trying a program).' -rfka ''
complete -c 'limberd' -n '__limberd_should_offer_completions_for_flags_or_options "limberd" state-dir' -l 'state-dir' -d 'Keep the state and history in DIR (a sped-up run otherwise uses a throwaway directory).' -rfa '(__limberd_complete_directories)'
complete -c 'limberd' -n '__limberd_should_offer_completions_for_flags_or_options "limberd" check' -l 'check' -d 'Validate programs and settings (default: everything on the search path) and exit.'
complete -c 'limberd' -n '__limberd_should_offer_completions_for_flags_or_options "limberd" v verbose' -l 'verbose' -s 'v' -d 'With --check: list every file and drop-in read, in order.'
complete -c 'limberd' -n '__limberd_should_offer_completions_for_flags_or_options "limberd" explain' -l 'explain' -d 'Print what a program will do on a day (today unless --date) and exit.' -rfka '(__limberd_custom_completion ---completion -- --explain (count (__limberd_tokens -pc)) (__limberd_tokens -tC))'
complete -c 'limberd' -n '__limberd_should_offer_completions_for_flags_or_options "limberd" date' -l 'date' -d 'With --explain: the day to show.' -rfka '(__limberd_custom_completion ---completion -- --date (count (__limberd_tokens -pc)) (__limberd_tokens -tC))'
complete -c 'limberd' -n '__limberd_should_offer_completions_for_flags_or_options "limberd" phase' -l 'phase' -d 'With --explain: show this phase, whatever the date.' -rfka '(__limberd_custom_completion ---completion -- --phase (count (__limberd_tokens -pc)) (__limberd_tokens -tC))'
complete -c 'limberd' -n '__limberd_should_offer_completions_for_positional "limberd" -ge 1' -fa '(for p in (string match -e -- \'*/\' (commandline -t);or printf \n)*.\'toml\';printf %s\n $p;end;__fish_complete_directories (commandline -t) \'\')'
complete -c 'limberd' -n '__limberd_should_offer_completions_for_flags_or_options "limberd" version' -l 'version' -d 'Show the version.'
complete -c 'limberd' -n '__limberd_should_offer_completions_for_flags_or_options "limberd" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'limberd' -n '__limberd_should_offer_completions_for_positional "limberd" -eq 2' -fa 'help' -d 'Show subcommand help information.'
complete -c 'limberd' -n '__limberd_should_offer_completions_for_flags_or_options "limberd help" version' -l 'version' -d 'Show the version.'
