# SPDX-License-Identifier: AGPL-3.0-or-later
"""A contract type for import-linter that forbids import cycles between modules.

import-linter's own ``acyclic_siblings`` forbids cycles between the packages of one parent;
a cycle between single modules of different root packages (``casebook`` and ``workflows``)
has no common parent and slips past it. ``acyclic_modules`` looks at the whole graph of the
root packages and reports every strongly connected set of modules, with the imports that
tie it (``./ijam.sh lint`` runs it with the other contracts in ``pyproject.toml``).
"""

from __future__ import annotations

import grimp
from importlinter.application import output
from importlinter.domain import fields
from importlinter.domain.contract import Contract, ContractCheck


def strongly_connected_modules(graph: grimp.ImportGraph) -> list[list[str]]:
    """Tarjan's algorithm over the module graph: every set of two or more modules that import
    each other (directly or through each other), and every module that imports itself."""
    index: dict[str, int] = {}
    lowlink: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    components: list[list[str]] = []
    counter = 0
    for root in sorted(graph.modules):
        if root in index:
            continue
        # An explicit stack of (module, iterator over what it imports): no recursion limit.
        work = [(root, iter(sorted(graph.find_modules_directly_imported_by(root))))]
        index[root] = lowlink[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            module, successors = work[-1]
            for successor in successors:
                if successor not in index:
                    index[successor] = lowlink[successor] = counter
                    counter += 1
                    stack.append(successor)
                    on_stack.add(successor)
                    work.append(
                        (
                            successor,
                            iter(sorted(graph.find_modules_directly_imported_by(successor))),
                        )
                    )
                    break
                if successor in on_stack:
                    lowlink[module] = min(lowlink[module], index[successor])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    lowlink[parent] = min(lowlink[parent], lowlink[module])
                if lowlink[module] == index[module]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == module:
                            break
                    if len(component) > 1 or graph.direct_import_exists(
                        importer=module, imported=module
                    ):
                        components.append(sorted(component))
    return sorted(components)


class AcyclicModulesContract(Contract):
    """No module imports, directly or indirectly, a module that imports it back.

    Configuration: ``ignore_modules`` (optional), module names left out of the check, such as
    generated migrations."""

    type_name = "acyclic_modules"

    ignore_modules = fields.ListField(subfield=fields.StringField(), required=False)

    def check(self, graph: grimp.ImportGraph, verbose: bool) -> ContractCheck:
        ignored = tuple(self.ignore_modules or ())  # type: ignore[arg-type]
        for module in list(graph.modules):
            if ignored and module.startswith(ignored):
                graph.remove_module(module)
        cycles = strongly_connected_modules(graph)
        details = []
        for component in cycles:
            members = set(component)
            ties = sorted(
                (importer, imported)
                for importer in component
                for imported in graph.find_modules_directly_imported_by(importer)
                if imported in members
            )
            details.append({"modules": component, "imports": ties})
        return ContractCheck(kept=not cycles, metadata={"cycles": details})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for cycle in check.metadata["cycles"]:
            output.print_error(
                f"These {len(cycle['modules'])} modules import each other in a circle:"
            )
            output.new_line()
            for importer, imported in cycle["imports"]:
                output.print_error(f"- {importer} -> {imported}", bold=False)
            output.new_line()
