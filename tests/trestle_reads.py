#!/usr/bin/env python3
"""compliance-trestle, a real OSCAL tool, reads srmlint's three documents (run by
tests/oscal.rs with the Python of a venv that has compliance-trestle installed).

usage: trestle_reads.py WORKSPACE CATALOG MATRIX_SSP DEPLOYMENT_SSP

1. trestle's own OSCAL models parse the catalog and both SSPs;
2. `trestle import` takes the catalog, then both SSPs with `import-profile.href`
   pointed at the imported catalog (the workaround docs/oscal.md gives: trestle cannot
   follow a `#uuid` href into the back matter), and `trestle validate -a` passes;
3. trestle's inheritance view of the matrix export (the markdown a leveraging system's
   authors fill in) has, per model component and control, exactly the provided and
   responsibility pairs of the export, through trestle's API and through
   `trestle author ssp-generate` with a profile importing the whole catalog;
4. trestle's `prof-inherit` logic finds fully inherited exactly the controls whose parts
   are all the provider's;
5. every `inherited` and `satisfied` entry of the deployment's SSP, read with trestle's
   models, names a `provided` / `responsibility` of the same control in the export.

Prints what it found; exits 1 on the first disagreement.
"""
import json
import pathlib
import subprocess
import sys

import frontmatter  # installed with compliance-trestle
import trestle.oscal.catalog as ocat
import trestle.oscal.ssp as ossp
from trestle.core.commands.author.prof import ProfileInherit
from trestle.core.crm.ssp_inheritance_api import SSPInheritanceAPI

workspace, catalog_path, matrix_path, deployment_path = map(pathlib.Path, sys.argv[1:5])
bin_dir = pathlib.Path(sys.executable).parent


def fail(message):
    print("FAIL:", message)
    sys.exit(1)


def trestle(*args):
    run = subprocess.run([str(bin_dir / "trestle"), *args], cwd=workspace,
                         capture_output=True, text=True)
    output = (run.stdout + run.stderr).strip()
    print(f"$ trestle {' '.join(args)}\n{output}")
    if run.returncode != 0 or "ERROR" in output:
        fail(f"trestle {args[0]} failed")
    return output


documents = {p: json.loads(p.read_text()) for p in (catalog_path, matrix_path, deployment_path)}

# 1. models
catalog = ocat.Catalog.parse_obj(documents[catalog_path]["catalog"])
matrix = ossp.SystemSecurityPlan.parse_obj(documents[matrix_path]["system-security-plan"])
deployment = ossp.SystemSecurityPlan.parse_obj(documents[deployment_path]["system-security-plan"])
control_ids = {control.id for control in catalog.controls}
print(f"1. models: catalog of {len(control_ids)} controls, matrix export and deployment SSP parse")

# 2. import and validate
# trestle refuses to import a file from inside its own workspace.
staging = workspace / "staging"
workspace = workspace / "workspace"
staging.mkdir(parents=True, exist_ok=True)
workspace.mkdir(parents=True, exist_ok=True)
trestle("init")
trestle("import", "-f", str(catalog_path), "-o", "srmlint")
for path, name in ((matrix_path, "matrix"), (deployment_path, "deployment")):
    document = documents[path]
    document["system-security-plan"]["import-profile"]["href"] = \
        "trestle://catalogs/srmlint/catalog.json"
    rewritten = staging / f"{name}.json"
    rewritten.write_text(json.dumps(document))
    trestle("import", "-f", str(rewritten), "-o", name)
output = trestle("validate", "-a")
if output.count("VALID:") != 3:
    fail("trestle validate did not pass all three documents")
print("2. trestle import and validate: 3 documents valid")

# 3. inheritance view of the export
titles = {c.uuid: c.title for c in matrix.system_implementation.components}
expected = set()
for requirement in matrix.control_implementation.implemented_requirements:
    if requirement.control_id not in control_ids:
        fail(f"the export answers {requirement.control_id}, which the catalog lacks")
    for by_component in requirement.by_components:
        export = by_component.export
        provided = [str(p.uuid) for p in export.provided or []]
        paired = set()
        for responsibility in export.responsibilities or []:
            pair = (str(responsibility.provided_uuid) if responsibility.provided_uuid else None,
                    str(responsibility.uuid))
            paired.add(pair[0])
            expected.add((titles[by_component.component_uuid], requirement.control_id) + pair)
        for uuid in provided:
            if uuid not in paired:
                expected.add((titles[by_component.component_uuid], requirement.control_id,
                              uuid, None))
markdown = workspace / "inheritance"
api = SSPInheritanceAPI(markdown, workspace)
api.write_inheritance_as_markdown("trestle://system-security-plans/matrix/system-security-plan.json")
found = set()
for path in markdown.rglob("*.md"):
    component, control = path.relative_to(markdown).parts[:2]
    statement = frontmatter.load(path).metadata["x-trestle-statement"]
    found.add((component, control, statement.get("provided-uuid"),
               statement.get("responsibility-uuid")))
if found != expected:
    fail(f"trestle's inheritance view differs: missing {sorted(expected - found, key=str)[:5]}, "
         f"extra {sorted(found - expected, key=str)[:5]}")
print(f"3. trestle inheritance view: {len(found)} statements, as exported")

# 3b. the same through the command line, as docs/oscal.md tells a user: a profile that
# imports the whole catalog, then `trestle author ssp-generate --leveraged-ssp`.
profile = staging / "profile.json"
profile.write_text(json.dumps({"profile": {
    "uuid": "0f5c4c1e-2b7a-4c36-9a51-9d3c8e7b6a10",
    "metadata": {"title": "All srmlint controls", "last-modified": "2026-11-28T00:00:00Z",
                 "version": "1", "oscal-version": "1.2.3"},
    "imports": [{"href": "trestle://catalogs/srmlint/catalog.json", "include-all": {}}]}}))
trestle("import", "-f", str(profile), "-o", "srmlint-all")
trestle("author", "ssp-generate", "-p", "srmlint-all", "--leveraged-ssp", "matrix", "-o", "ssp-md")
generated = list((workspace / "ssp-md" / "inheritance").rglob("*.md"))
controls_md = {p.stem for p in (workspace / "ssp-md").glob("*.md")}
if len(generated) != len(expected) or controls_md != control_ids:
    fail(f"ssp-generate wrote {len(generated)} inheritance statements for "
         f"{len(controls_md)} controls, expected {len(expected)} for {len(control_ids)}")
print(f"3b. trestle author ssp-generate: {len(controls_md)} controls, "
      f"{len(generated)} inheritance statements")

# 4. prof-inherit
inherited = sorted(r.control_id for r in matrix.control_implementation.implemented_requirements
                   if ProfileInherit._is_inherited(r.by_components))
provider_only = sorted(
    r.control_id for r in matrix.control_implementation.implemented_requirements
    if all(b.export.provided and not b.export.responsibilities for b in r.by_components))
if inherited != provider_only:
    fail(f"prof-inherit finds {inherited} inherited, the export says {provider_only}")
print(f"4. trestle prof-inherit: fully inherited {', '.join(inherited)}")

# 5. the deployment's references into the export
provided_of, responsibility_of = {}, {}
for requirement in matrix.control_implementation.implemented_requirements:
    for by_component in requirement.by_components:
        for p in by_component.export.provided or []:
            provided_of[str(p.uuid)] = requirement.control_id
        for r in by_component.export.responsibilities or []:
            responsibility_of[str(r.uuid)] = requirement.control_id
counts = {"inherited": 0, "satisfied": 0}
for requirement in deployment.control_implementation.implemented_requirements:
    if requirement.control_id not in control_ids:
        fail(f"the deployment answers {requirement.control_id}, which the catalog lacks")
    for by_component in requirement.by_components:
        for i in by_component.inherited or []:
            counts["inherited"] += 1
            if provided_of.get(str(i.provided_uuid)) != requirement.control_id:
                fail(f"{requirement.control_id}: inherited {i.uuid} names no provided of it")
        for s in by_component.satisfied or []:
            counts["satisfied"] += 1
            if responsibility_of.get(str(s.responsibility_uuid)) != requirement.control_id:
                fail(f"{requirement.control_id}: satisfied {s.uuid} names no responsibility of it")
print(f"5. deployment SSP: {counts['inherited']} inherited and {counts['satisfied']} satisfied "
      f"entries, each resolving in the export")
