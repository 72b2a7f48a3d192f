#!/usr/bin/env bash
# Checks the infrastructure code offline: restores the Bicep CLI from NuGet (infra/bicep-cli),
# then builds and lints main.bicep (with every module) and builds both parameter files.
# Any warning counts as an error. Usage: bash infra/check.sh (from anywhere).
set -euo pipefail

infra="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
version="0.49.2"

echo "check.sh: restoring the Bicep CLI $version (infra/bicep-cli)"
dotnet restore "$infra/bicep-cli/BicepCli.csproj" --verbosity quiet >/dev/null

packages="$(dotnet nuget locals global-packages -l | sed -E 's/^global-packages: //')"
bicep="${packages%/}/azure.bicep.commandline.linux-x64/$version/tools/bicep"
if [[ ! -x "$bicep" ]]; then
  chmod +x "$bicep" 2>/dev/null || { echo "check.sh: Bicep CLI not found at $bicep" >&2; exit 1; }
fi
echo "check.sh: using $bicep ($("$bicep" --version))"

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

failed=0
# Runs one bicep command; fails the check on a non-zero exit or any warning or error line.
run() {
  local label="$1"
  shift
  local log="$out/log" ok=1
  "$bicep" "$@" >"$log" 2>&1 || ok=0
  grep -Eq ': (Warning|Error) ' "$log" && ok=0
  if [[ -s "$log" ]]; then
    sed 's/^/    /' "$log"
  fi
  if [[ $ok -eq 1 ]]; then
    echo "  ok    $label"
  else
    echo "  FAIL  $label"
    failed=1
  fi
}

cd "$infra"
echo "check.sh: checking (warnings are errors)"
run "bicep build main.bicep (and modules/*.bicep)" build main.bicep --outdir "$out"
run "bicep lint main.bicep (rules: bicepconfig.json)" lint main.bicep
for params in main.bicepparam main.prod.bicepparam; do
  # build-params compiles the template too and reports the linter's findings for both files.
  run "bicep build-params $params" build-params "$params" --outfile "$out/${params%.bicepparam}.parameters.json"
done

# Identity, not secrets: the compiled template must never read a key, SAS or connection string,
# and no app setting may carry one (App Insights' connection string is not a secret).
if grep -Eiq 'listKeys|listConnectionStrings|listAccountSas|listServiceSas|AccountKey=|SharedAccessKey' "$out/main.json"; then
  echo "  FAIL  the compiled template reads a key, SAS or connection string"
  failed=1
else
  echo "  ok    no key, SAS or connection string is read anywhere in the template"
fi
# The app settings: the one marked object in modules/functionapp.bicep.
settings=$(awk '/^var appSettings = \{/ { inside = 1; next } inside && /^\}/ { exit } inside && /^  [A-Za-z0-9_]+:/ { sub(/:.*/, ""); sub(/^ +/, ""); print }' modules/functionapp.bicep)
if [[ -z "$settings" ]]; then
  echo "  FAIL  no app settings found in modules/functionapp.bicep"
  failed=1
elif grep -Ev '^(APPLICATIONINSIGHTS_CONNECTION_STRING|Push__Webhook__Secret)$' <<<"$settings" | grep -Eiq 'connectionstring|key$|secret|password|sas$'; then
  echo "  FAIL  an app setting name suggests a secret:" $settings
  failed=1
# The push secret is allowed by name only because its value is a Key Vault reference, never the secret.
elif ! grep -Eq "^  Push__Webhook__Secret: .*'@Microsoft\.KeyVault\(SecretUri=" modules/functionapp.bicep; then
  echo "  FAIL  Push__Webhook__Secret must be a Key Vault reference"
  failed=1
else
  echo "  ok    app settings (identity-based):" $settings
fi

modules=$(find modules -name '*.bicep' | wc -l)
if [[ $failed -ne 0 ]]; then
  echo "check.sh: FAILED"
  exit 1
fi
echo "check.sh: passed: main.bicep with $modules modules, 2 parameter files, 0 warnings"
