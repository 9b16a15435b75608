# Bash completion for torchloss (commands, options, and the values of --head, --dataset, --engine, --device, ...).
# Source it from ~/.bashrc:  source /path/to/torchloss/scripts/completion.bash
# It asks torchloss itself, through System.CommandLine's [suggest:POSITION] directive, so it never goes stale.
_torchloss_complete() {
  local IFS=$'\n'
  COMPREPLY=($(compgen -W "$("${COMP_WORDS[0]}" "[suggest:${COMP_POINT}]" "${COMP_LINE}" 2>/dev/null)" -- "${COMP_WORDS[COMP_CWORD]}"))
}
complete -o default -F _torchloss_complete torchloss
