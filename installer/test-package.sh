#!/usr/bin/env bash
# CI install test: the Debian package and the tarball, made by CPack from the release tree that
# `./dev test` built (no second compile), checked, installed with apt, run as an ordinary user,
# upgraded from the previous version, removed and purged; the machine is left as it was, also
# when a step fails. Runs as root (apt); the programs run as the user "nobody" with a scratch
# HOME, as an analyst would run them.
#
#   installer/test-package.sh [BUILD_DIR]      (default: build/release)
#
# The "previous version" package holds this build's binaries under the previous version number
# (the second entry of installer/changelog). The upgrade therefore exercises dpkg's and apt's
# upgrade path (unpacking over an installed version, replacing every file, the triggers) and
# that users' settings, logs, models and store survive it; it does not run an older program's
# code against newer files (docs/building.md, "Packaging").
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD_DIR=${1:-build/release}
PACKAGE=credit-workbench
USER_UID=65534 # nobody
USER_GID=65534 # nogroup
STARTED=$SECONDS

say() { printf '\n== [%4ds] %s\n' $((SECONDS - STARTED)) "$*"; }
fail() {
    printf 'FAIL: %s\n' "$*" >&2
    exit 1
}
check() { # check "what" command...: the command must succeed
    local what=$1
    shift
    "$@" || fail "$what"
}

[ "$(id -u)" -eq 0 ] || {
    echo "test-package.sh: run as root (it installs and removes the package with apt)" >&2
    exit 2
}
[ -f "$BUILD_DIR/CPackConfig.cmake" ] || {
    echo "test-package.sh: $BUILD_DIR/CPackConfig.cmake not found: build the release preset first (./dev test)" >&2
    exit 2
}
# "installed", "config-files", ... or empty when dpkg has never heard of it.
package_state() { dpkg-query -W -f='${db:Status-Status}' "$PACKAGE" 2>/dev/null || true; }
if [ -n "$(package_state)" ] && [ "$(package_state)" != not-installed ]; then
    echo "test-package.sh: $PACKAGE is installed on this machine; remove it first (the test would replace it)" >&2
    exit 2
fi

VERSION=$(sed -n '1s/^credit-workbench (\([^)]*\)).*/\1/p' installer/changelog)
PREVIOUS=$(grep -m2 '^credit-workbench (' installer/changelog | sed -n '2s/^credit-workbench (\([^)]*\)).*/\1/p')
if [ -z "$VERSION" ] || [ -z "$PREVIOUS" ]; then
    fail "installer/changelog names no current and previous version"
fi
grep -q "CPACK_PACKAGE_VERSION \"$VERSION\"" "$BUILD_DIR/CPackConfig.cmake" ||
    fail "$BUILD_DIR was configured for another version than installer/changelog's $VERSION: reconfigure"
ARCH=$(dpkg --print-architecture)

WORK=$(mktemp -d /tmp/cwb-package-test.XXXXXX)
chmod 755 "$WORK" # the user "nobody" reads the packages' files and writes its HOME below
touch "$WORK/added-packages"
# Everything under /usr before: after the purge the same list must come back.
snapshot_usr() { find /usr -xdev | LC_ALL=C sort; }
snapshot_usr >"$WORK/usr.before"
GUI_PID=""

installed_packages() { dpkg-query -W -f='${db:Status-Status} ${Package}\n' | awk '$1 == "installed" { print $2 }' | LC_ALL=C sort; }
# apt_get LOG ARGS...: apt-get, its output kept in $WORK/LOG (shown when it fails). Packages that
# an install pulls in as dependencies (new and marked automatic) are noted, so they are purged
# again; on a shared machine a package someone else installs meanwhile is left alone.
apt_get() {
    local log=$WORK/$1
    shift
    installed_packages >"$WORK/packages.before-apt"
    local status=0
    DEBIAN_FRONTEND=noninteractive apt-get -y -q "$@" >"$log" 2>&1 || status=$?
    installed_packages | comm -13 "$WORK/packages.before-apt" - |
        grep -vxF "$PACKAGE" | grep -xF -f <(apt-mark showauto) >>"$WORK/added-packages" || true
    if [ "$status" -ne 0 ]; then
        cat "$log"
        fail "apt-get $*"
    fi
}
purge_added_packages() {
    local added
    added=$(installed_packages | grep -xF -f "$WORK/added-packages" || true)
    [ -n "$added" ] || return 0
    echo "purging the packages the install pulled in: ${added//$'\n'/ }" >&2
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq $added >/dev/null
}

cleanup() {
    local status=$?
    set +e
    [ -z "$GUI_PID" ] || kill "$GUI_PID" 2>/dev/null
    if [ -n "$(package_state)" ] && [ "$(package_state)" != not-installed ]; then
        echo "cleanup: purging $PACKAGE" >&2
        DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq "$PACKAGE" >/dev/null
    fi
    purge_added_packages
    rm -rf "$WORK"
    if [ "$status" -eq 0 ]; then
        echo "test-package.sh: all checks passed in $((SECONDS - STARTED)) s"
    else
        echo "test-package.sh: FAILED (exit $status) after $((SECONDS - STARTED)) s; the machine was cleaned up" >&2
    fi
}
trap cleanup EXIT

# --- the user ----------------------------------------------------------------------------------
# as_user HOME command...: run as "nobody" with only HOME, PATH, LANG and QT_QPA_PLATFORM set
# (no XDG variables, so the programs use ~/.config, ~/.local/share and ~/.local/state).
# AS_USER_PASSWORD becomes CWB_PASSWORD in the environment, never an argument; AS_USER_PIDFILE
# receives the program's process id (setpriv and the program replace this subshell in turn).
as_user() {
    local home=$1
    shift
    (
        password=${AS_USER_PASSWORD-} pidfile=${AS_USER_PIDFILE-}
        new_password=${AS_USER_NEW_PASSWORD-}
        for name in $(compgen -e); do unset "$name" 2>/dev/null || true; done
        export HOME=$home PATH=/usr/bin:/bin LANG=C.UTF-8 QT_QPA_PLATFORM=offscreen
        [ -z "$password" ] || export CWB_PASSWORD=$password
        [ -z "$new_password" ] || export CWB_NEW_PASSWORD=$new_password
        [ -z "$pidfile" ] || echo "$BASHPID" >"$pidfile"
        exec setpriv --reuid=$USER_UID --regid=$USER_GID --clear-groups "$@"
    )
}
new_home() {
    mkdir -p "$WORK/$1"
    chown $USER_UID:$USER_GID "$WORK/$1"
    chmod 700 "$WORK/$1"
    echo "$WORK/$1"
}
json_field() { python3 -B -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }
# "model  /path" lines of credit-workbench --paths
paths_field() { awk -v k="$1" '$1 == k { $1 = ""; sub(/^ +/, ""); print }'; }

# --- 1. package the built tree ---------------------------------------------------------------
say "packaging $BUILD_DIR as $VERSION (.deb, .tar.gz) and as the previous version $PREVIOUS (.deb)"
cpack --config "$BUILD_DIR/CPackConfig.cmake" -B "$WORK/dist" >"$WORK/cpack.log" 2>&1 ||
    { cat "$WORK/cpack.log"; fail "cpack"; }
DEB="$WORK/dist/${PACKAGE}_${VERSION}_${ARCH}.deb"
# The same control fields but the version: dpkg-shlibdeps' result is reused rather than computed
# a second time (it takes about as long as the rest of cpack).
cpack --config "$BUILD_DIR/CPackConfig.cmake" -G DEB -B "$WORK/dist-previous" \
    -D CPACK_PACKAGE_VERSION="$PREVIOUS" -D CPACK_DEBIAN_PACKAGE_SHLIBDEPS=OFF \
    -D CPACK_DEBIAN_PACKAGE_DEPENDS="$(dpkg-deb -f "$DEB" Depends)" >"$WORK/cpack-previous.log" 2>&1 ||
    { cat "$WORK/cpack-previous.log"; fail "cpack (previous version)"; }
OLD_DEB="$WORK/dist-previous/${PACKAGE}_${PREVIOUS}_${ARCH}.deb"
TGZ=$(ls "$WORK"/dist/${PACKAGE}-"${VERSION}"-linux-*.tar.gz)
ls -l "$DEB" "$OLD_DEB" "$TGZ"
chmod 644 "$DEB" "$OLD_DEB" "$TGZ"

# --- 2. what the .deb holds ------------------------------------------------------------------
say "package control fields and contents"
dpkg-deb -f "$DEB" Package Version Architecture Depends Recommends Suggests | tee "$WORK/control"
check "package version is $VERSION" test "$(dpkg-deb -f "$DEB" Version)" = "$VERSION"
check "previous package version is $PREVIOUS" test "$(dpkg-deb -f "$OLD_DEB" Version)" = "$PREVIOUS"
check "previous package has the same Depends" test "$(dpkg-deb -f "$OLD_DEB" Depends)" = "$(dpkg-deb -f "$DEB" Depends)"
DEPENDS=$(dpkg-deb -f "$DEB" Depends)
# From dpkg-shlibdeps (the libraries the programs link) and the plugins it cannot see.
for dep in libc6 libqt6core6 libqt6widgets6 libqt6charts6 libxgboost0 libsqlite3-0 \
    libqt6sql6-sqlite libqt6sql6-psql libsodium23 libqt6pdfwidgets6 libxlsxwriter4 fonts-dejavu-core; do
    [[ ", $DEPENDS," == *", $dep"[\ ,]* ]] || fail "Depends lacks $dep: $DEPENDS"
done
check "Recommends prometheus-pushgateway" grep -q '^Recommends: .*prometheus-pushgateway' "$WORK/control"

dpkg-deb -c "$DEB" >"$WORK/contents.txt"
awk '{ print $6 }' "$WORK/contents.txt" | sed 's|^\./|/|' | sort >"$WORK/files.txt"
# Only /usr/bin and /usr/share: a libdir or /etc file would need the /usr prefix at configure
# time (installer/InstallRules.cmake).
outside=$(grep -Ev '^/(usr/?|usr/bin/.*|usr/share/.*)?$' "$WORK/files.txt" || true)
[ -z "$outside" ] || fail "files outside /usr/bin and /usr/share: $outside"
awk '$2 != "root/root" { print }' "$WORK/contents.txt" | grep . && fail "files not owned by root"
for f in /usr/bin/cwb /usr/bin/credit-workbench \
    /usr/share/credit-workbench/models/german_credit.cwbm \
    /usr/share/credit-workbench/sample_data/{german_credit.csv,german_credit.dictionary.csv,applicants.csv,batch_german.csv,README.md} \
    /usr/share/applications/credit-workbench.desktop \
    /usr/share/metainfo/io.github.creditworkbench.CreditWorkbench.metainfo.xml \
    /usr/share/icons/hicolor/scalable/apps/credit-workbench.svg \
    /usr/share/icons/hicolor/{16x16,22x22,24x24,32x32,48x48,64x64,128x128,256x256,512x512}/apps/credit-workbench.png \
    /usr/share/man/man1/{cwb,credit-workbench}.1.gz \
    /usr/share/doc/credit-workbench/{copyright,changelog.gz,user-guide.md,monitoring.md,file-formats.md} \
    /usr/share/doc/credit-workbench/monitoring/{prometheus.yml,alerts.yml,alerts_test.yml,grafana-dashboard.json}; do
    grep -qxF "$f" "$WORK/files.txt" || fail "the package lacks $f"
done
echo "$(grep -vc '/$' "$WORK/files.txt") entries, all under /usr/bin and /usr/share, owned by root"

say "tarball contents"
tar -tzf "$TGZ" >"$WORK/tgz.txt"
TOP=$(head -1 "$WORK/tgz.txt" | cut -d/ -f1)
for f in bin/cwb bin/credit-workbench share/credit-workbench/models/german_credit.cwbm \
    share/credit-workbench/sample_data/applicants.csv share/applications/credit-workbench.desktop; do
    grep -qxF "$TOP/$f" "$WORK/tgz.txt" || fail "the tarball lacks $TOP/$f"
done
echo "$TOP/: $(wc -l <"$WORK/tgz.txt") entries"

# --- 3. validators ---------------------------------------------------------------------------
say "desktop-file-validate, appstreamcli validate, lintian"
dpkg-deb -x "$DEB" "$WORK/root"
runpath=$(readelf -d "$WORK"/root/usr/bin/* | grep -E '\((RPATH|RUNPATH)\)' || true)
[ -z "$runpath" ] || fail "installed programs carry a library search path: $runpath"
check "desktop-file-validate" desktop-file-validate "$WORK/root/usr/share/applications/credit-workbench.desktop"
check "appstreamcli validate" appstreamcli validate --no-net \
    "$WORK/root/usr/share/metainfo/io.github.creditworkbench.CreditWorkbench.metainfo.xml"
# Errors fail the test; every warning left is explained in docs/building.md ("Packaging").
lintian --fail-on error --display-info "$DEB" | tee "$WORK/lintian.txt" ||
    fail "lintian reports errors"
echo "lintian: $(grep -c '^E:' "$WORK/lintian.txt" || true) errors, $(grep -c '^W:' "$WORK/lintian.txt" || true) warnings"

# --- 4. the tarball runs from wherever it is unpacked ----------------------------------------
say "tarball unpacked in a scratch folder, run as a user"
mkdir -p "$WORK/opt" && tar -xzf "$TGZ" -C "$WORK/opt"
OPT="$WORK/opt/$TOP"
HOME_T=$(new_home home-tarball)
check "tarball cwb --version" test "$(as_user "$HOME_T" "$OPT/bin/cwb" --version)" = "cwb $VERSION"
as_user "$HOME_T" "$OPT/bin/credit-workbench" --paths >"$WORK/paths-tarball.txt" ||
    fail "tarball credit-workbench --paths"
cat "$WORK/paths-tarball.txt"
check "tarball GUI finds the model beside itself" test \
    "$(paths_field model <"$WORK/paths-tarball.txt")" = "$OPT/share/credit-workbench/models/german_credit.cwbm"
check "tarball GUI finds the sample data beside itself" test \
    "$(paths_field sample-data <"$WORK/paths-tarball.txt")" = "$OPT/share/credit-workbench/sample_data"

# --- 5. fresh install with apt ---------------------------------------------------------------
say "apt-get install ./${DEB##*/}"
apt_get apt-install.log install "$DEB"
check "installed $VERSION" test "$(dpkg-query -W -f='${Status} ${Version}' "$PACKAGE")" = "install ok installed $VERSION"
dpkg -L "$PACKAGE" | sort >"$WORK/installed-files.txt"
check "cwb on PATH is the package's" test "$(command -v cwb)" = /usr/bin/cwb

HOME_A=$(new_home home-analyst)
check "installed cwb --version" test "$(as_user "$HOME_A" cwb --version)" = "cwb $VERSION"
say "installed cwb scores the installed sample batch with the installed model"
SAMPLES=/usr/share/credit-workbench/sample_data
as_user "$HOME_A" cwb score --model /usr/share/credit-workbench/models/german_credit.cwbm \
    --in "$SAMPLES/batch_german.csv" --out "$HOME_A/scored.csv" --reasons 4 --json \
    >"$WORK/score.json" || fail "installed cwb score"
cat "$WORK/score.json"
read_=$(json_field rows_read <"$WORK/score.json")
scored=$(json_field rows_scored <"$WORK/score.json")
rejected=$(json_field rows_rejected <"$WORK/score.json")
check "5000 rows read" test "$read_" -eq 5000
check "rows read = scored + rejected" test "$read_" -eq $((scored + rejected))
check "scored file has a header and a line per scored row" test "$(wc -l <"$HOME_A/scored.csv")" -eq $((scored + 1))

say "installed GUI: --paths and --screenshots offscreen"
as_user "$HOME_A" credit-workbench --paths >"$WORK/paths.txt" || fail "credit-workbench --paths"
cat "$WORK/paths.txt"
check "GUI finds the installed model" test "$(paths_field model <"$WORK/paths.txt")" = \
    /usr/share/credit-workbench/models/german_credit.cwbm
check "GUI finds the installed sample data" test "$(paths_field sample-data <"$WORK/paths.txt")" = "$SAMPLES"
for key in settings store log; do
    value=$(paths_field $key <"$WORK/paths.txt")
    [[ $value == "$HOME_A/"* ]] || fail "the $key path is not in the user's home: $value"
done
as_user "$HOME_A" credit-workbench --screenshots "$HOME_A/shots" >"$WORK/screenshots.log" 2>&1 ||
    { cat "$WORK/screenshots.log"; fail "credit-workbench --screenshots"; }
shots=0
for png in "$HOME_A"/shots/*.png; do
    [ -s "$png" ] || fail "empty or missing screenshot $png"
    python3 -B - "$png" <<'EOF' || fail "not a real PNG: $png"
import struct, sys
data = open(sys.argv[1], "rb").read(24)
assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR", "PNG signature"
width, height = struct.unpack(">II", data[16:24])
assert width > 0 and height > 0, "size"
print(f"  {sys.argv[1].rsplit('/', 1)[1]}: {width} x {height}")
EOF
    shots=$((shots + 1))
done
for name in applicant explanation batch; do
    [ -s "$HOME_A/shots/$name.png" ] || fail "no $name.png screenshot"
done
echo "$shots screenshots"

say "apt-get purge: nothing of the package is left under /usr"
apt_get apt-purge.log purge "$PACKAGE"
while read -r f; do
    [ -d "$f" ] || [ ! -e "$f" ] || fail "left after purge: $f"
done <"$WORK/installed-files.txt"
check "the user's scores stay" test -s "$HOME_A/scored.csv"

# --- 6. upgrade from the previous version, keeping a user's data -----------------------------
say "apt-get install ./${OLD_DEB##*/} (the previous version)"
apt_get apt-old.log install "$OLD_DEB"
check "installed $PREVIOUS" test "$(dpkg-query -W -f='${Version}' "$PACKAGE")" = "$PREVIOUS"

say "a user works with the previous version: settings, logs, a model of their own"
HOME_U=$(new_home home-user)
USER_DATA="$HOME_U/.local/share/CreditWorkbench/credit-workbench"
SETTINGS="$HOME_U/.config/CreditWorkbench/credit-workbench.conf"
# The GUI started normally records the shipped model in the user's settings as it opens it.
AS_USER_PIDFILE="$WORK/gui.pid" as_user "$HOME_U" credit-workbench >"$WORK/gui.out" 2>&1 &
GUI_JOB=$!
for _ in $(seq 1 120); do
    [ -s "$WORK/gui.pid" ] && GUI_PID=$(cat "$WORK/gui.pid")
    [ -s "$SETTINGS" ] && break
    kill -0 "$GUI_JOB" 2>/dev/null || break
    sleep 0.5
done
[ -z "$GUI_PID" ] || kill "$GUI_PID" 2>/dev/null || true
wait "$GUI_JOB" 2>/dev/null || true
GUI_PID=""
[ -s "$SETTINGS" ] || { cat "$WORK/gui.out"; fail "the GUI wrote no settings to $SETTINGS"; }
check "settings name the shipped model" grep -q 'german_credit.cwbm' "$SETTINGS"
as_user "$HOME_U" mkdir -p "$USER_DATA"
as_user "$HOME_U" cwb train --data "$SAMPLES/german_credit.csv" --target class --bad 2 \
    --id applicant_id --algorithm scorecard --cv 2 --seed 7 \
    --out "$USER_DATA/my-scorecard.cwbm" >"$WORK/train.log" 2>&1 ||
    { cat "$WORK/train.log"; fail "cwb train (previous version)"; }
LOG="$HOME_U/.local/state/credit-workbench/cli.log"
check "cwb wrote its log in the user's state folder" test -s "$LOG"

# >>> STORE (issue 11) --------------------------------------------------------------------------
# The GUI's first start made the single-user desktop store at the default place (decision 33):
# its OS user is the admin and needs no password. Its chain is verified again after the upgrade.
STORE="$USER_DATA/workbench.sqlite"
HAVE_STORE=1
check "the GUI's first start created the desktop store" test -s "$STORE"
as_user "$HOME_U" cwb audit verify --store "$STORE" >"$WORK/verify-old.txt" 2>&1 ||
    { cat "$WORK/verify-old.txt"; fail "cwb audit verify (previous version, desktop store)"; }
# <<< STORE ------------------------------------------------------------------------------------

(cd "$HOME_U" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum) >"$WORK/user-files.before"
LOG_SIZE=$(stat -c %s "$LOG")
cp "$LOG" "$WORK/cli.log.before"
cat "$WORK/user-files.before"

say "apt-get install ./${DEB##*/} over $PREVIOUS (upgrade)"
apt_get apt-upgrade.log install "$DEB"
check "dpkg unpacked $VERSION over $PREVIOUS" grep -q "over ($PREVIOUS)" "$WORK/apt-upgrade.log"
check "upgraded to $VERSION" test "$(dpkg-query -W -f='${Status} ${Version}' "$PACKAGE")" = "install ok installed $VERSION"
check "user files unchanged by the upgrade" \
    bash -c "cd '$HOME_U' && sha256sum --quiet -c '$WORK/user-files.before'"
check "upgraded cwb --version" test "$(as_user "$HOME_U" cwb --version)" = "cwb $VERSION"
check "upgraded cwb reads the user's model" as_user "$HOME_U" cwb info "$USER_DATA/my-scorecard.cwbm" >/dev/null
as_user "$HOME_U" cwb score --model "$USER_DATA/my-scorecard.cwbm" --in "$SAMPLES/applicants.csv" \
    --out "$HOME_U/applicants-scored.csv" --json >"$WORK/score-upgraded.json" ||
    fail "upgraded cwb score with the user's model"
check "upgraded cwb scores with the user's model" test "$(json_field rows_scored <"$WORK/score-upgraded.json")" -eq 10
check "the log is appended to, not replaced" cmp -n "$LOG_SIZE" "$LOG" "$WORK/cli.log.before"
check "the log grew" test "$(stat -c %s "$LOG")" -gt "$LOG_SIZE"
as_user "$HOME_U" credit-workbench --paths >"$WORK/paths-upgraded.txt" || fail "upgraded --paths"
check "upgraded GUI uses the same settings file" test "$(paths_field settings <"$WORK/paths-upgraded.txt")" = "$SETTINGS"
if [ "$HAVE_STORE" -eq 1 ]; then # STORE: the chain written before the upgrade still verifies
    as_user "$HOME_U" cwb audit verify --store "$STORE" >"$WORK/verify-new.txt" 2>&1 ||
        fail "upgraded cwb verifies the user's audit chain"
fi

say "apt-get remove, then purge: /usr as before, the user's data kept"
dpkg -L "$PACKAGE" | sort >"$WORK/installed-files.txt"
(cd "$HOME_U" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum) >"$WORK/user-files.before-remove"
apt_get apt-remove.log remove "$PACKAGE"
while read -r f; do
    [ -d "$f" ] || [ ! -e "$f" ] || fail "left after remove: $f"
done <"$WORK/installed-files.txt"
# A package without configuration files is forgotten by dpkg on remove; purge has work only
# when remove left something behind.
state=$(package_state)
if [ -n "$state" ] && [ "$state" != not-installed ]; then
    echo "remove left the package as '$state': purging"
    apt_get apt-purge2.log purge "$PACKAGE"
else
    echo "remove left nothing for purge to do (the package has no configuration files)"
fi
state=$(package_state)
[ -z "$state" ] || [ "$state" = not-installed ] || fail "dpkg still knows the package as '$state'"
check "user files kept by remove and purge" \
    bash -c "cd '$HOME_U' && sha256sum --quiet -c '$WORK/user-files.before-remove'"
purge_added_packages
snapshot_usr >"$WORK/usr.after"
if ! diff "$WORK/usr.before" "$WORK/usr.after" >"$WORK/usr.diff"; then
    cat "$WORK/usr.diff"
    fail "/usr differs from before the test"
fi
echo "/usr holds exactly the files it held before the test ($(wc -l <"$WORK/usr.after") entries)"
say "done"
