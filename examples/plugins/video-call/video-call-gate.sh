#!/bin/sh
# limber exec plugin (gate): postpone reminders while a video-call client runs.
# Speaks limber's JSON-lines protocol on stdin/stdout (docs/plugins.md).
# POSIX sh and sed only; reads process names from /proc without forking.
clients="zoom teams skypeforlinux"
postpone=300

running_client() {
    for c in $clients; do
        for comm in /proc/[0-9]*/comm; do
            name=""
            read -r name < "$comm" 2>/dev/null || continue
            if [ "$name" = "$c" ]; then
                printf '%s' "$c"
                return 0
            fi
        done
    done
    return 1
}

while IFS= read -r line; do
    case "$line" in
    *'"type":"hello"'*)
        # limberd writes keys sorted and compact: "settings":{"clients":[...],"postpone":300}
        list=$(printf '%s\n' "$line" | sed -n 's/.*"clients":\[\([^]]*\)\].*/\1/p' | tr -d '"' | tr ',' ' ')
        [ -n "$list" ] && clients=$list
        secs=$(printf '%s\n' "$line" | sed -n 's/.*"postpone":\([0-9]*\).*/\1/p')
        [ -n "$secs" ] && postpone=$secs
        echo "watching for: $clients" >&2
        printf '{"type":"hello","protocol":1}\n'
        ;;
    *'"type":"review"'*)
        # {"id":N,"reminder":{...},"type":"review"}: the review's id comes first.
        id=$(printf '%s\n' "$line" | sed -n 's/^{"id":\([0-9]*\),.*/\1/p')
        if client=$(running_client); then
            printf '{"type":"decision","id":%s,"decision":"postpone","seconds":%s,"reason":"%s is running"}\n' \
                "$id" "$postpone" "$client"
        else
            printf '{"type":"decision","id":%s,"decision":"proceed"}\n' "$id"
        fi
        ;;
    *'"type":"stop"'*)
        exit 0
        ;;
    esac
done
