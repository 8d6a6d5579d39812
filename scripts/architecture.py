"""An import-linter contract type for Saring's contexts (pyproject.toml names it).

`context_boundaries`: a context may import another context only through that context's public
modules (its models, querysets and services); everything else of a context (views, tasks,
commands, matching internals) is its own. import-linter's built-in types cannot say "only these
submodules", hence this small type. Run `lint-imports` from the project root.
"""

from __future__ import annotations

from importlinter.application import contract_utils, output
from importlinter.application.contract_utils import AlertLevel
from importlinter.domain import fields
from importlinter.domain.contract import Contract, ContractCheck


class ContextBoundaryContract(Contract):
    type_name = "context_boundaries"

    contexts = fields.ListField(subfield=fields.StringField())
    public_modules = fields.ListField(subfield=fields.StringField())
    ignore_imports = fields.SetField(subfield=fields.ImportExpressionField(), required=False)

    def check(self, graph, verbose: bool) -> ContractCheck:
        removal = contract_utils.remove_ignored_imports_and_report(
            graph=graph,
            ignore_imports=self.ignore_imports,  # type: ignore[arg-type]
            unmatched_alerting=AlertLevel.ERROR,
        )
        contexts: list[str] = list(self.contexts)  # type: ignore[arg-type]
        public = set(self.public_modules)  # type: ignore[arg-type]

        def owner(module: str) -> str | None:
            return next((c for c in contexts if module == c or module.startswith(c + ".")), None)

        violations = []
        for importer in sorted(graph.modules):
            source = owner(importer)
            if source is None:
                continue
            for imported in sorted(graph.find_modules_directly_imported_by(importer)):
                target = owner(imported)
                if target is None or target == source:
                    continue
                first = imported[len(target) + 1 :].split(".")[0]
                if first not in public:
                    lines = [
                        d["line_number"]
                        for d in graph.get_import_details(importer=importer, imported=imported)
                    ]
                    violations.append({"importer": importer, "imported": imported, "lines": lines})
        return ContractCheck(
            kept=not violations,
            warnings=list(removal.warnings),
            metadata={"violations": violations},
        )

    def render_broken_contract(self, check: ContractCheck) -> None:
        for v in check.metadata["violations"]:
            where = ", ".join(f"l.{n}" for n in v["lines"])
            output.print_error(
                f"{v['importer']} imports {v['imported']} ({where}): another context's "
                "internals; use its models, querysets or services"
            )
            output.new_line()
