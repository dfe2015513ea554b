//! `srmlint completions`: clap_complete's script for a shell, with the values the
//! stock fish, elvish and PowerShell scripts leave out added, so every shell completes
//! the same rule codes, control ids, services, zones, frameworks and formats.

use clap::Command;
use clap_complete::Shell;

/// The completion script of `srmlint` for `shell`.
pub fn script(shell: Shell, command: &mut Command) -> String {
    let mut bytes = Vec::new();
    clap_complete::generate(shell, command, "srmlint", &mut bytes);
    let script = String::from_utf8_lossy(&bytes).into_owned();
    let values = values_of(command, "srmlint");
    match shell {
        Shell::Fish => fish(script, &values),
        Shell::Elvish => elvish(&script, &values),
        Shell::PowerShell => powershell(&script, &values),
        _ => script,
    }
}

/// The values each argument takes, keyed as the elvish and PowerShell scripts name the
/// place they complete: `srmlint;SUBCOMMAND;--option` for an option's value (after it),
/// `srmlint;SUBCOMMAND` for a command's own arguments.
fn values_of(command: &Command, path: &str) -> Vec<(String, Vec<String>)> {
    let mut found = Vec::new();
    for sub in command
        .get_subcommands()
        .filter(|sub| sub.get_name() != "help")
    {
        let path = format!("{path};{}", sub.get_name());
        for arg in sub.get_arguments() {
            let values: Vec<String> = (arg.get_possible_values().iter())
                .filter(|value| !value.is_hide_set())
                .map(|value| value.get_name().to_owned())
                .collect();
            match arg.get_long() {
                _ if values.is_empty() => {}
                Some(long) => found.push((format!("{path};--{long}"), values)),
                None if arg.is_positional() => found.push((path.clone(), values)),
                None => {}
            }
        }
        found.extend(values_of(sub, &path));
    }
    found
}

/// clap_complete's fish script completes the values of options only; those of a
/// command's own arguments (`explain`'s rule codes and control ids) are added.
fn fish(mut script: String, values: &[(String, Vec<String>)]) -> String {
    for (place, values) in values {
        let Some(("srmlint", name)) = place.split_once(';') else {
            continue;
        };
        if !name.contains(';') {
            script.push_str(&format!(
                "complete -c srmlint -n \"__fish_srmlint_using_subcommand {name}\" -f -a \"{}\"\n",
                values.join(" ")
            ));
        }
    }
    script
}

/// `text` in single quotes, as elvish and PowerShell both write a literal string.
fn quoted(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// The stock elvish script completes no values: after an option that takes one, its
/// values are offered instead of the command's options; a command's own arguments'
/// values come before its options.
fn elvish(script: &str, values: &[(String, Vec<String>)]) -> String {
    let mut table = String::from("    var values = [\n");
    for (place, values) in values {
        let values: Vec<String> = values.iter().map(|value| quoted(value)).collect();
        table.push_str(&format!(
            "        &{}= [{}]\n",
            quoted(place),
            values.join(" ")
        ));
    }
    table.push_str(
        "    ]\n    \
         var after = $command';'$words[-2]\n    \
         if (has-key $values $after) {\n        \
             all $values[$after]\n    \
         } else {\n        \
             if (has-key $values $command) {\n            \
                 all $values[$command]\n        \
             }\n        \
             $completions[$command]\n    \
         }\n}\n",
    );
    match script.rfind("    $completions[$command]\n}") {
        Some(at) => format!("{}{table}", &script[..at]),
        None => script.to_owned(),
    }
}

/// The stock PowerShell script completes no values: after an option that takes one,
/// its values are offered instead of the command's options; a command's own
/// arguments' values come with its options.
fn powershell(script: &str, values: &[(String, Vec<String>)]) -> String {
    let mut table = String::from("    $values = @{\n");
    for (place, values) in values {
        let values: Vec<String> = values.iter().map(|value| quoted(value)).collect();
        table.push_str(&format!(
            "        {} = @({})\n",
            quoted(place),
            values.join(", ")
        ));
    }
    table.push_str(
        "    }\n    \
         $value = { [CompletionResult]::new($_, $_, [CompletionResultType]::ParameterValue, $_) }\n    \
         $at = $commandElements.Count - $(if ($wordToComplete) { 2 } else { 1 })\n    \
         $after = if ($at -ge 0) { \"$command;\" + $commandElements[$at].ToString() } else { '' }\n    \
         if ($values.ContainsKey($after)) {\n        \
             $completions = @($values[$after] | ForEach-Object $value)\n    \
         } elseif ($values.ContainsKey($command)) {\n        \
             $completions = @($values[$command] | ForEach-Object $value) + $completions\n    \
         }\n\n",
    );
    let anchor = "    $completions.Where{";
    match script.rfind(anchor) {
        Some(at) => format!("{}{table}{}", &script[..at], &script[at..]),
        None => script.to_owned(),
    }
}
