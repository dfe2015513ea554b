"""`srmlint server` driven end to end by a real LSP client (pytest-lsp, on pygls).

tests/server.rs runs this with the built binary in SRMLINT_BIN and the examples in
SRMLINT_EXAMPLES: each test starts the server over stdio in a scratch repository and
talks to it as an editor would.
"""

import asyncio
import os
import pathlib
import shutil
import sys

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

SRMLINT = os.environ["SRMLINT_BIN"]
EXAMPLES = pathlib.Path(os.environ["SRMLINT_EXAMPLES"])
TODAY = "2026-11-28"

# A Terraform root module: one resource per service the controls file declares, one
# service it does not (SRM050, an error), and a zone no value is given for (SRM054,
# an info).
MAIN_TF = """\
variable "zone" {}

resource "exoscale_compute_instance" "web" {
  zone = "ch-gva-2"
  name = "web"
}

resource "exoscale_private_network" "net" {
  zone = var.zone
  name = "net"
}

resource "exoscale_dbaas" "pg" {
  type = "pg"
  zone = "ch-gva-2"
  name = "db"
}

resource "exoscale_dbaas" "events" {
  type = "kafka"
  zone = "ch-gva-2"
  name = "events"
}
"""


@pytest_lsp.fixture(
    config=ClientServerConfig(server_command=[SRMLINT, "server", "--today", TODAY]),
)
async def client(lsp_client: LanguageClient):
    await lsp_client.initialize_session(
        types.InitializeParams(capabilities=client_capabilities("visual-studio-code"))
    )
    yield
    if lsp_client._server is not None and lsp_client._server.returncode is None:
        await lsp_client.shutdown_session()


@pytest.fixture
def repo(tmp_path):
    """A copy of examples/clinic as a repository, with the Terraform above."""
    root = tmp_path / "repo"
    shutil.copytree(EXAMPLES / "clinic", root)
    (root / ".git").mkdir()
    (root / "infra").mkdir()
    (root / "infra" / "main.tf").write_text(MAIN_TF)
    return root


def uri_of(path):
    return path.as_uri()


def open_document(client, path, text, version=1):
    client.diagnostics.pop(uri_of(path), None)
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=uri_of(path), language_id="toml", version=version, text=text
            )
        )
    )


async def published(client, uri, timeout=30):
    """The diagnostics published for `uri` since it was last forgotten."""
    deadline = asyncio.get_running_loop().time() + timeout
    while uri not in client.diagnostics:
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"no diagnostics for {uri} within {timeout}s")
        await asyncio.sleep(0.02)
    return list(client.diagnostics[uri])


def codes(diagnostics):
    return sorted(d.code for d in diagnostics)


def position_of(text, needle, offset=0):
    """The LSP position (UTF-16) of `needle` in `text`, plus `offset` characters."""
    before = text[: text.index(needle) + offset]
    line = before.count("\n")
    column = before[before.rfind("\n") + 1 :]
    return types.Position(line=line, character=len(column.encode("utf-16-le")) // 2)


def replace(text, old, new):
    """The incremental change that replaces the first `old` with `new`."""
    start = position_of(text, old)
    end = position_of(text, old, len(old))
    return types.TextDocumentContentChangePartial(
        range=types.Range(start=start, end=end), text=new
    )


def change(client, path, version, *changes):
    client.diagnostics.pop(uri_of(path), None)
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(
                uri=uri_of(path), version=version
            ),
            content_changes=list(changes),
        )
    )


@pytest.mark.asyncio
async def test_open_change_close(client: LanguageClient, repo):
    controls = repo / "controls.toml"
    clean = controls.read_text()
    # Two unknown services on a line that holds a character outside the BMP: the
    # second one's column counts it as two UTF-16 units.
    broken = clean.replace(
        'services = ["compute",', 'services = ["𝄞", "compte", "compute",'
    )
    open_document(client, controls, broken)
    diagnostics = await published(client, uri_of(controls))
    assert codes(diagnostics) == ["SRM011", "SRM011"], diagnostics
    compte = next(d for d in diagnostics if "`compte`" in d.message)
    assert compte.severity == types.DiagnosticSeverity.Error
    assert compte.source == "srmlint"
    assert compte.range.start == position_of(broken, '"compte"')
    assert compte.range.start.character == 18
    assert "did you mean `compute`" in compte.message

    # The edit that fixes both, sent as the editor sends it: the diagnostics clear.
    change(client, controls, 2, replace(broken, '"𝄞", "compte", ', ""))
    assert await published(client, uri_of(controls)) == []

    # Closing the document clears what was shown for it.
    change(client, controls, 3, replace(clean, '"compute"', '"compte"'))
    assert codes(await published(client, uri_of(controls))) == ["SRM011"]
    client.diagnostics.pop(uri_of(controls), None)
    client.text_document_did_close(
        types.DidCloseTextDocumentParams(
            text_document=types.TextDocumentIdentifier(uri=uri_of(controls))
        )
    )
    assert await published(client, uri_of(controls)) == []


@pytest.mark.asyncio
async def test_severities_waivers_and_terraform(client: LanguageClient, repo):
    controls = repo / "controls.toml"
    text = controls.read_text()
    text = text.replace(
        'frameworks = ["iso27001", "nis2"]',
        'frameworks = ["iso27001", "nis2"]\nterraform = ["infra"]',
    )
    # Two claims without evidence: one waived (a hint naming its waiver), one not (a
    # warning).
    text = text.replace('evidence = ["docs/security/access.md"]\n', "")
    text = text.replace('evidence = ["docs/security/network.md"]\n', "")
    text += """
[[waivers]]
rule = "SRM031"
control = "tenant-iam"
reason = "IAM evidence moves to the new wiki"
approved_by = "ciso@clinic.example"
expires = 2027-01-31
"""
    main_tf = repo / "infra" / "main.tf"
    client.diagnostics.pop(uri_of(main_tf), None)
    open_document(client, controls, text)
    own = await published(client, uri_of(controls))
    by_code = {}
    for diagnostic in own:
        by_code.setdefault(diagnostic.code, []).append(diagnostic)
    srm031 = sorted(by_code["SRM031"], key=lambda d: d.severity)
    assert [d.severity for d in srm031] == [
        types.DiagnosticSeverity.Warning,
        types.DiagnosticSeverity.Hint,
    ], own
    assert "network-security" in srm031[0].message
    assert "IAM evidence moves to the new wiki" in srm031[1].message
    assert "ciso@clinic.example" in srm031[1].message

    # What the Terraform says lies in the Terraform file: an undeclared service (an
    # error at its resource) and a zone no value is given for (an info).
    infra = await published(client, uri_of(main_tf))
    assert codes(infra) == ["SRM050", "SRM054"], infra
    severities = {d.code: d.severity for d in infra}
    assert severities["SRM050"] == types.DiagnosticSeverity.Error
    assert severities["SRM054"] == types.DiagnosticSeverity.Information
    srm050 = next(d for d in infra if d.code == "SRM050")
    assert srm050.range.start == position_of(MAIN_TF, 'resource "exoscale_dbaas" "events"')

    # Declaring the service clears the error in the Terraform file.
    client.diagnostics.pop(uri_of(main_tf), None)
    change(client, controls, 2, replace(text, '"dbaas-pg"]', '"dbaas-pg", "dbaas-kafka"]'))
    infra = await published(client, uri_of(main_tf))
    assert codes(infra) == ["SRM054"], infra


@pytest.mark.asyncio
async def test_a_check_that_cannot_run_is_a_diagnostic(client: LanguageClient, repo):
    controls = repo / "controls.toml"
    (repo / ".srmlint.toml").write_text('policies = ["policies/missing.toml"]\n')
    open_document(client, controls, controls.read_text())
    diagnostics = await published(client, uri_of(controls))
    assert len(diagnostics) == 1, diagnostics
    assert diagnostics[0].severity == types.DiagnosticSeverity.Error
    assert "missing.toml" in diagnostics[0].message

    # The same folder with a Terraform source that is not HCL: a finding, and the
    # server goes on answering.
    (repo / ".srmlint.toml").write_text("")
    (repo / "infra" / "main.tf").write_text('resource "exoscale_compute_instance" {{{')
    text = controls.read_text().replace(
        'frameworks = ["iso27001", "nis2"]',
        'frameworks = ["iso27001", "nis2"]\nterraform = ["infra"]',
    )
    change(client, controls, 2, types.TextDocumentContentChangeWholeDocument(text=text))
    main_tf = uri_of(repo / "infra" / "main.tf")
    client.diagnostics.pop(main_tf, None)
    await published(client, uri_of(controls))
    assert "SRM053" in codes(await published(client, main_tf))


@pytest.mark.asyncio
async def test_configuration_documents(client: LanguageClient, repo):
    controls = repo / "controls.toml"
    config = repo / ".srmlint.toml"
    config.write_text("")
    text = controls.read_text().replace('owner = "shared"', 'owner = "customer"', 1)
    open_document(client, controls, text)
    assert codes(await published(client, uri_of(controls))) == ["SRM004"]

    # An unsaved `.srmlint.toml`: its own problems at their place, and its levels
    # already govern the controls file beside it.
    config_text = '[rules]\nSRM004 = "off"\nSRM999 = "error"\n'
    open_document(client, config, config_text)
    problems = await published(client, uri_of(config))
    assert len(problems) == 1, problems
    assert "unknown rule `SRM999`" in problems[0].message
    assert problems[0].range.start == position_of(config_text, "SRM999")

    client.diagnostics.pop(uri_of(controls), None)
    change(client, config, 2, replace(config_text, 'SRM999 = "error"\n', ""))
    assert await published(client, uri_of(config)) == []
    assert await published(client, uri_of(controls)) == []

    # Completion in `.srmlint.toml`: rule codes as keys of `[rules]`, levels as values.
    levels_text = '[rules]\nSRM004 = "of"\nSRM03\n'
    change(client, config, 3, types.TextDocumentContentChangeWholeDocument(text=levels_text))
    rules = await complete(client, config, levels_text, "SRM03\n", 5)
    assert {"SRM030", "SRM031"} <= rules.keys()
    levels = await complete(client, config, levels_text, '"of"', 3)
    assert {"error", "warning", "info", "off"} <= levels.keys()
    assert levels["off"].text_edit.new_text == "off"

    # A new `.srmlint.toml`, not saved yet, is checked on its own.
    new_config = repo / "docs" / ".srmlint.toml"
    new_text = 'max_waiver_days = "soon"\n'
    open_document(client, new_config, new_text)
    problems = await published(client, uri_of(new_config))
    assert len(problems) == 1, problems
    assert problems[0].range.start == position_of(new_text, '"soon"')

    # Where no `.srmlint.toml` is on disk, an unsaved one governs the controls file
    # beside it all the same.
    change(client, config, 4, types.TextDocumentContentChangeWholeDocument(text=""))
    team = repo / "team"
    team.mkdir()
    team_controls = team / "controls.toml"
    team_controls.write_text(text)
    open_document(client, team_controls, text)
    assert "SRM004" in codes(await published(client, uri_of(team_controls)))
    client.diagnostics.pop(uri_of(team_controls), None)
    open_document(client, team / ".srmlint.toml", '[rules]\nSRM004 = "off"\n')
    assert "SRM004" not in codes(await published(client, uri_of(team_controls)))


@pytest.mark.asyncio
async def test_hover(client: LanguageClient, repo):
    controls = repo / "controls.toml"
    text = controls.read_text() + (
        '\n[[waivers]]\nrule = "SRM031"\ncontrol = "tenant-logging"\n'
        'reason = "r"\napproved_by = "a@b.example"\nexpires = 2027-01-31\n'
    )
    open_document(client, controls, text)
    await published(client, uri_of(controls))

    hover = await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri_of(controls)),
            position=position_of(text, "backup-restore]", 3),
        )
    )
    assert hover is not None
    value = hover.contents.value
    assert "backup-restore" in value
    assert "IaaS: customer" in value
    assert "DBaaS: shared" in value
    assert "Framework mappings" in value
    # Who owns it for the services this file declares (Compute and PostgreSQL).
    assert "For this deployment" in value
    assert "compute, dbaas-pg, private-network): shared" in value
    assert hover.range.start == position_of(text, "backup-restore]")

    hover = await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri_of(controls)),
            position=position_of(text, "SRM031", 2),
        )
    )
    assert hover is not None
    assert "missing-evidence" in hover.contents.value

    # Nothing srmlint knows under the cursor: no hover.
    hover = await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri_of(controls)),
            position=position_of(text, "patient-portal", 2),
        )
    )
    assert hover is None


async def complete(client, path, text, needle, offset):
    result = await client.text_document_completion_async(
        types.CompletionParams(
            text_document=types.TextDocumentIdentifier(uri=uri_of(path)),
            position=position_of(text, needle, offset),
        )
    )
    items = result.items if isinstance(result, types.CompletionList) else result
    return {item.label: item for item in items}


@pytest.mark.asyncio
async def test_completion(client: LanguageClient, repo):
    controls = repo / "controls.toml"
    text = (
        controls.read_text()
        .replace('zones = ["ch-gva-2"]', 'zones = ["ch-gva-2", "de-]')
        .replace("[controls.platform-bcdr]", "[controls.platform-bcdr-old]")
        + '\n[controls.\n\n[[waivers]]\nrule = "SRM03"\n'
    )
    open_document(client, controls, text)
    await published(client, uri_of(controls))

    services = await complete(client, controls, text, '"dbaas-pg"]', 1)
    assert {"compute", "dbaas-kafka", "sks", "object-storage"} <= services.keys()
    assert "ch-gva-2" not in services

    zones = await complete(client, controls, text, '"de-]', 4)
    assert {"de-fra-1", "de-muc-1", "ch-dk-2"} <= zones.keys()
    edit = zones["de-fra-1"].text_edit
    assert edit.new_text == "de-fra-1"
    assert edit.range.start == position_of(text, '"de-]', 1)

    owners = await complete(client, controls, text, 'owner = "customer"', 9)
    assert {"customer", "shared", "exoscale", "aiven"} <= owners.keys()

    headers = await complete(client, controls, text, "[controls.\n", 10)
    assert "platform-bcdr" in headers
    # A control that has its entry already is not offered again.
    assert "backup-restore" not in headers

    rules = await complete(client, controls, text, 'rule = "SRM03', 13)
    assert {"SRM030", "SRM031", "SRM032"} <= rules.keys()

    frameworks_text = text.replace('frameworks = ["iso27001", "nis2"]', "frameworks = [")
    change(client, controls, 2, types.TextDocumentContentChangeWholeDocument(text=frameworks_text))
    frameworks = await complete(client, controls, frameworks_text, "frameworks = [", 14)
    assert {"iso27001", "nis2"} <= frameworks.keys()
    # Outside a string the id comes quoted.
    assert frameworks["nis2"].text_edit.new_text == '"nis2"'


async def code_actions(client, uri, diagnostic):
    return await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=diagnostic.range,
            context=types.CodeActionContext(diagnostics=[diagnostic]),
        )
    )


@pytest.mark.asyncio
async def test_code_actions_apply_the_fixes(client: LanguageClient, repo):
    controls = repo / "controls.toml"
    text = controls.read_text().replace('"compute"', '"compte"').replace(
        'frameworks = ["iso27001", "nis2"]',
        'frameworks = ["iso27001", "nis2"]\nterraform = ["infra"]',
    )
    main_tf = repo / "infra" / "main.tf"
    client.diagnostics.pop(uri_of(main_tf), None)
    open_document(client, controls, text)
    diagnostics = await published(client, uri_of(controls))
    srm011 = next(d for d in diagnostics if d.code == "SRM011")

    # The did-you-mean, offered as the preferred quick fix, applied as the editor
    # applies it: the finding is gone.
    actions = await code_actions(client, uri_of(controls), srm011)
    preferred = [a for a in actions if a.is_preferred]
    assert len(preferred) == 1, actions
    action = preferred[0]
    assert action.kind == types.CodeActionKind.QuickFix
    assert [d.code for d in action.diagnostics] == ["SRM011"]
    edits = action.edit.changes[uri_of(controls)]
    assert len(edits) == 1, edits
    assert "compute" in edits[0].new_text
    change(
        client,
        controls,
        2,
        types.TextDocumentContentChangePartial(range=edits[0].range, text=edits[0].new_text),
    )
    after = await published(client, uri_of(controls))
    assert "SRM011" not in codes(after), after

    # SRM050 lies in the Terraform file; its fix adds the service to the controls file.
    infra = await published(client, uri_of(main_tf))
    srm050 = next(d for d in infra if d.code == "SRM050")
    actions = await code_actions(client, uri_of(main_tf), srm050)
    assert actions, "no fix for SRM050"
    edits = actions[0].edit.changes[uri_of(controls)]
    assert any("dbaas-kafka" in edit.new_text for edit in edits), edits


@pytest.mark.asyncio
async def test_shutdown_and_exit(client: LanguageClient, repo):
    await client.shutdown_session()
    assert client._server.returncode == 0
