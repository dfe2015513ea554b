#!/usr/bin/env python3
"""compliance-trestle, a real OSCAL tool, reads srmlint's documents as a GRC engineer
would (run by tests/oscal.rs with the Python of a venv that has compliance-trestle).

usage: trestle_reads.py FOLDER DEPLOYMENT_SSP MAPPING...

FOLDER is where srmlint wrote srmlint-catalog.json, srmlint-profile.json,
srmlint-matrix-ssp.json, the deployment's SSP and the mappings (file names relative to
FOLDER). Every trestle command runs from FOLDER, as docs/oscal.md tells a user to, so
the documents' relative hrefs resolve; the workspace is FOLDER/grc.

1. `trestle init`, `trestle import` of the catalog, the profile, both SSPs and every
   mapping, then `trestle validate -a`: any ERROR or WARNING, or a document not VALID,
   fails; no href is rewritten first;
2. trestle's models parse every document, and trestle's generic models (what
   `ssp-assemble` converts components and by-components to) accept every component and
   by-component UUID; trestle's reference scanner finds every `#uuid` href;
3. trestle's inheritance view of the matrix export has, per model component and
   control, exactly the provided and responsibility pairs of the export, through its
   API and through `trestle author ssp-generate` with srmlint's profile; and
   `trestle author ssp-assemble` rebuilds the deployment's plan from that Markdown;
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
import trestle.oscal.mapping as omap
import trestle.oscal.profile as oprof
import trestle.oscal.ssp as ossp
from trestle.common.model_utils import ModelUtils
from trestle.core.commands.author.prof import ProfileInherit
from trestle.core.crm.ssp_inheritance_api import SSPInheritanceAPI
from trestle.core.generic_oscal import GenericByComponent, GenericComponent

folder = pathlib.Path(sys.argv[1]).resolve()
deployment_name = sys.argv[2]
mapping_names = sys.argv[3:]
workspace = folder / "grc"
bin_dir = pathlib.Path(sys.executable).parent


def fail(message):
    print("FAIL:", message)
    sys.exit(1)


def trestle(*args, warnings_ok=False):
    command = [str(bin_dir / "trestle"), *args, "-tr", str(workspace)]
    run = subprocess.run(command, cwd=folder, capture_output=True, text=True)
    output = "\n".join(line for line in (run.stdout + run.stderr).splitlines()
                       if not line.startswith("Validating local file access"))
    print(f"$ trestle {' '.join(args)}\n{output}".rstrip())
    if run.returncode != 0 or "ERROR" in output or ("WARNING" in output and not warnings_ok):
        fail(f"trestle {args[0]} failed or warned")
    return output


def load(name):
    return json.loads((folder / name).read_text())


# 1. import and validate, hrefs as srmlint wrote them
workspace.mkdir(exist_ok=True)
trestle("init")
imports = [("srmlint-catalog.json", "srmlint"), ("srmlint-profile.json", "srmlint"),
           ("srmlint-matrix-ssp.json", "matrix"), (deployment_name, "deployment")]
imports += [(name, pathlib.Path(name).stem) for name in mapping_names]
for name, output in imports:
    trestle("import", "-f", name, "-o", output)
output = trestle("validate", "-a")
if output.count("VALID:") != len(imports):
    fail(f"trestle validate did not pass all {len(imports)} documents")
print(f"1. trestle import and validate: {len(imports)} documents valid")

# 2. models
catalog = ocat.Catalog.parse_obj(load("srmlint-catalog.json")["catalog"])
profile = oprof.Profile.parse_obj(load("srmlint-profile.json")["profile"])
matrix = ossp.SystemSecurityPlan.parse_obj(load("srmlint-matrix-ssp.json")["system-security-plan"])
deployment = ossp.SystemSecurityPlan.parse_obj(load(deployment_name)["system-security-plan"])
mappings = [omap.MappingCollection.parse_obj(load(name)["mapping-collection"])
            for name in mapping_names]
control_ids = {control.id for control in catalog.controls}
if [i.href for i in profile.imports] != ["srmlint-catalog.json"]:
    fail(f"the profile imports {[i.href for i in profile.imports]}")
for ssp in (matrix, deployment):
    if ssp.import_profile.href != "srmlint-profile.json":
        fail(f"an SSP imports {ssp.import_profile.href}")
    for component in ssp.system_implementation.components:
        GenericComponent(uuid=str(component.uuid), type=str(component.type.root),
                         title=str(component.title), description=str(component.description))
    for requirement in ssp.control_implementation.implemented_requirements:
        for by_component in requirement.by_components:
            GenericByComponent(component_uuid=str(by_component.component_uuid),
                               uuid=str(by_component.uuid),
                               description=str(by_component.description))
for document in [catalog, matrix, deployment, *mappings]:
    hrefs = {h[1:] for h in ModelUtils.find_values_by_name(document, "href") if h.startswith("#")}
    if ModelUtils.find_uuid_refs(document) != hrefs:
        fail(f"trestle's reference scanner misses some of {sorted(hrefs)[:3]}")
    resources = {str(r.uuid) for r in (document.back_matter.resources
                                       if document.back_matter else [])}
    if hrefs != resources:
        fail(f"#uuid hrefs {sorted(hrefs - resources)[:3]} resolve to no resource, or "
             f"resources {sorted(resources - hrefs)[:3]} are never referenced")
for collection in mappings:
    for mapping in collection.mappings:
        if mapping.source_resource.href != "srmlint-catalog.json":
            fail(f"a mapping's source is {mapping.source_resource.href}")
        for entry in mapping.maps:
            if {s.id_ref for s in entry.sources} - control_ids:
                fail(f"a map names a control the catalog lacks: {entry.sources}")
print(f"2. models: catalog of {len(control_ids)} controls, profile, both SSPs and "
      f"{len(mappings)} mappings parse; trestle's generic models take every UUID")

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

trestle("author", "ssp-generate", "-p", "srmlint", "--leveraged-ssp", "matrix", "-o", "ssp-md")
generated = list((workspace / "ssp-md" / "inheritance").rglob("*.md"))
controls_md = {p.stem for p in (workspace / "ssp-md").glob("*.md")}
if len(generated) != len(expected) or controls_md != control_ids:
    fail(f"ssp-generate wrote {len(generated)} inheritance statements for "
         f"{len(controls_md)} controls, expected {len(expected)} for {len(control_ids)}")
print(f"3b. trestle author ssp-generate with srmlint's profile: {len(controls_md)} controls, "
      f"{len(generated)} inheritance statements")

# 3c. ssp-assemble onto the deployment's plan: trestle rebuilds it through its generic
# models, which take only version-4 UUIDs. (It warns, by design, that it drops the
# components no component definition names.)
trestle("author", "ssp-assemble", "-m", "ssp-md", "-n", "deployment", "-o", "assembled",
        warnings_ok=True)
assembled = json.loads((workspace / "system-security-plans" / "assembled" /
                        "system-security-plan.json").read_text())["system-security-plan"]
if len(assembled["control-implementation"]["implemented-requirements"]) != len(control_ids):
    fail("ssp-assemble lost controls")
print("3c. trestle author ssp-assemble onto the deployment's plan: assembled")

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
