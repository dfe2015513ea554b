//! What the second audit of fixes, configuration and the command line found wrong,
//! each built from the auditor's reproduction: `init` through a stream, `--fix` whose
//! write fails, the fixes offered together, waived findings, `--diff` with a
//! byte-order mark, `config` of a rejected file, one file under two spellings, the
//! completions of every shell, and a bad configuration among several paths.

use crate::common::{Scratch, TODAY, json, srmlint};

const DNS: &str = "[deployment]\nname = \"x\"\nservices = [\"dns\"]\nzones = [\"ch-gva-2\"]\n";

/// `init --output` naming a stream (`/dev/stdout`, `/dev/null`, a named pipe) writes
/// through it as `--output -` prints: no schema file beside it (in `/dev/`), no
/// `#:schema` line pointing at one, and the deployment named after the working folder.
#[test]
fn init_through_a_stream_writes_nothing_beside_it() {
    let dir = Scratch::git_root("init-stream");
    let folder = dir.root.file_name().unwrap().to_string_lossy().into_owned();
    let init = |output: &str| {
        srmlint()
            .current_dir(&dir.root)
            .args(["init", "--services", "compute", "--zones", "ch-gva-2"])
            .args(["--output", output])
            .run()
    };
    let printed = init("-");
    assert_eq!(printed.code, 0, "{}", printed.stderr);
    assert!(printed.stdout.contains(&format!("name = \"{folder}\"\n")));
    for device in ["/dev/stdout", "/dev/fd/1", "/dev/null"] {
        let in_dev = std::path::Path::new("/dev/controls.schema.json");
        let there_before = in_dev.exists();
        let run = init(device);
        assert_eq!(run.code, 0, "{device}: {}", run.stderr);
        assert!(!run.stderr.contains("schema"), "{device}: {}", run.stderr);
        assert!(there_before || !in_dev.exists(), "{device}: wrote into /dev");
        if device != "/dev/null" {
            assert_eq!(run.stdout, printed.stdout, "{device}: as `--output -` prints");
        }
    }
    // A named pipe in the repository: written through, nothing beside it.
    let pipe = dir.path("pipe");
    let made = std::process::Command::new("mkfifo").arg(&pipe).status();
    if made.is_ok_and(|status| status.success()) {
        let reader = {
            let pipe = pipe.clone();
            std::thread::spawn(move || std::fs::read_to_string(pipe).unwrap())
        };
        let run = init(pipe.to_str().unwrap());
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert_eq!(reader.join().unwrap(), printed.stdout);
        assert!(!dir.path("controls.schema.json").exists());
    }
}
