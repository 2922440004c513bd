#!/bin/sh
# Starts the Jembatan jar that lies beside this launcher (<launcher>.jar: jembatan-demo -> jembatan-demo.jar) with
# the shipped launch options, extracted and with a class-data-sharing archive: a start loads its classes from the
# archive instead of out of the jars nested in the fat jar (docs/deployment.md, "The launcher").
#
# On the first start, and again when the jar or the JDK changed, it extracts the jar into <launcher>-cds/ beside it
# and makes the archive with a training run: the bus starts with the same arguments, but on a temporary folder (an
# empty embedded store and broker, every port 0), and stops once it is ready (jembatan.training-run). Every start
# after that execs java on the extracted jar with the archive. If the training fails it says so once and starts
# without the archive; the next start tries again.
#
# JAVA_OPTS: added after the launch options, so an option there wins (-Xmx512m). JAVA_TOOL_OPTIONS: read by the JVM
# before its command line, so it adds options the launcher does not set. JAVA_HOME: the JDK to run (else java on the
# PATH). MALLOC_ARENA_MAX: 2 unless set. The arguments are the bus's (--key=value), passed through unchanged.
set -eu

launch_options='-Xmx224m -Xss512k -XX:+UseSerialGC -XX:ReservedCodeCacheSize=64m -XX:MetaspaceSize=64m'
MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}
export MALLOC_ARENA_MAX

jar=$0.jar
case $jar in
    /*) ;;
    *) jar=$(pwd)/$jar ;;
esac
if [ ! -f "$jar" ]; then
    echo "jembatan: no $jar beside this launcher" >&2
    exit 1
fi
if [ -n "${JAVA_HOME:-}" ]; then
    java=$JAVA_HOME/bin/java
else
    java=java
fi
java_options=${JAVA_OPTS:-}

cds=${jar%.jar}-cds
app=$cds/app/${jar##*/}
archive=$cds/jembatan.jsa
stamp=$cds/stamp

# What the archive was made for: this JDK (its version, read without the user's options) and this jar (its size;
# a jar newer than the stamp is another build too).
jdk=$(unset JAVA_TOOL_OPTIONS JDK_JAVA_OPTIONS _JAVA_OPTIONS; "$java" -version 2>&1)
made_for="$jdk
jar bytes $(wc -c < "$jar" | tr -d ' ')"

prepared() {
    [ -f "$stamp" ] && [ -f "$app" ] && [ -f "$archive" ] && [ "$(cat "$stamp")" = "$made_for" ] && [ -z "$(find "$jar" -newer "$stamp")" ]
}

prepare() {
    echo "jembatan: preparing a faster start (once per jar and JDK): extracting the jar and making a class-data-sharing archive in $cds" >&2
    rm -rf "$cds"
    if ! mkdir -p "$cds" 2>/dev/null; then
        echo "jembatan: cannot write $cds; starting the jar as it is" >&2
        return 0
    fi
    if ! "$java" -Djarmode=tools -jar "$jar" extract --destination "$cds/app" > "$cds/extract.log" 2>&1; then
        echo "jembatan: could not extract the jar (see $cds/extract.log); starting the jar as it is" >&2
        rm -rf "$cds/app"
        return 0
    fi
    training=$(mktemp -d "${TMPDIR:-/tmp}/jembatan-training.XXXXXX")
    set -f
    # shellcheck disable=SC2086 # the options are words
    if "$java" $launch_options $java_options -XX:ArchiveClassesAtExit="$archive" -jar "$app" \
            "$@" --jembatan.training-run=true --jembatan.training-run-data-dir="$training/data" \
            > "$cds/training.log" 2>&1 \
            && [ -s "$archive" ]; then
        # Only a training that made its archive is not done again: one that failed (most often on the same
        # configuration problem the start will then report) is tried again at the next start.
        printf '%s\n' "$made_for" > "$stamp" || true
    else
        rm -f "$archive"
        echo "jembatan: the training run failed (see $cds/training.log); starting without the archive (the next start tries again)" >&2
    fi
    set +f
    rm -rf "$training"
}

prepared || prepare "$@"

set -f
if [ ! -f "$app" ]; then
    # shellcheck disable=SC2086
    exec "$java" $launch_options $java_options -jar "$jar" "$@"
elif [ ! -f "$archive" ]; then
    # shellcheck disable=SC2086
    exec "$java" $launch_options $java_options -jar "$app" "$@"
fi
# shellcheck disable=SC2086
exec "$java" $launch_options -XX:SharedArchiveFile="$archive" $java_options -jar "$app" "$@"
