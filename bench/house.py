"""Measures the shape of the code (standard library only): `python3 bench/house.py [--check] [ROOT]`.

With `--check` it exits 1 when the house breaks its rules: a source file over 400 lines (an
integration test file over 600), or any count below above zero.

- files over 400 lines (server/src, tests, migration, entities)
- route handlers over 40 lines (functions under an actix route attribute)
- route files that reach the database (entities, SQL, `.one(`/`.all(`/`.execute(`)
- imports between route files of different subjects
- routes that dispatch on a path segment naming an action, a record kind or a file
- circles of imports among the modules of server/src/domain
"""
import os
import re
import sys

ARGS = [a for a in sys.argv[1:] if a != "--check"]
CHECK = "--check" in sys.argv[1:]
ROOT = ARGS[0] if ARGS else "."
SERVER = os.path.join(ROOT, "server", "src")
ROUTES = os.path.join(SERVER, "routes")
DOMAIN = os.path.join(SERVER, "domain")


def rust_files(folder):
    for base, _, files in os.walk(folder):
        for name in sorted(files):
            if name.endswith(".rs"):
                yield os.path.join(base, name)


def lines(path):
    with open(path, encoding="utf-8") as f:
        return f.read().split("\n")


def rel(path):
    return os.path.relpath(path, ROOT)


def long_files():
    found = []
    for folder in ("server/src", "tests", "migration/src", "entities/src"):
        for path in rust_files(os.path.join(ROOT, folder)):
            n = len(lines(path)) - 1
            if n > 400:
                found.append((n, rel(path)))
    return sorted(found, reverse=True)


ROUTE_ATTR = re.compile(r"^\s*#\[(get|post|put|patch|delete)\(")


def long_handlers():
    found = []
    for path in rust_files(ROUTES):
        text = lines(path)
        for i, line in enumerate(text):
            if not ROUTE_ATTR.match(line):
                continue
            start = next(j for j in range(i, len(text)) if re.search(r"\bfn\b", text[j]))
            depth, end = 0, start
            for j in range(start, len(text)):
                depth += text[j].count("{") - text[j].count("}")
                if "{" in "".join(text[start:j + 1]) and depth == 0:
                    end = j
                    break
            n = end - start + 1
            if n > 40:
                name = re.search(r"fn\s+(\w+)", text[start]).group(1)
                found.append((n, f"{rel(path)}:{name}"))
    return sorted(found, reverse=True)


# what the issue calls database access: finding rows, SQL, running a query (a route may name an
# entity's row type, as the domain's functions hand rows back)
DB_ACCESS = re.compile(r"Entity::|Column::|Statement::|\.one\(&|\.all\(&|\.execute\(|query_(one|all)|find_by_id|\.paginate\(")


def route_files_with_database():
    return [rel(p) for p in rust_files(ROUTES) if DB_ACCESS.search("\n".join(lines(p)))]


def subject_of(path):
    """A route file's subject: its folder under routes/, or its own name for a flat file."""
    inside = os.path.relpath(path, ROUTES).split(os.sep)
    return inside[0] if len(inside) > 1 else os.path.splitext(inside[0])[0]


SHARED = {"mod", "health", "openapi", "statics"}


def sibling_imports():
    found = []
    for path in rust_files(ROUTES):
        subject = subject_of(path)
        if subject in SHARED:
            continue
        flat = len(os.path.relpath(path, ROUTES).split(os.sep)) == 1
        names = set()
        for use in use_paths("\n".join(lines(path))):
            parts = use.split("::")
            if parts[:2] == ["crate", "routes"] and len(parts) > 2:
                names.add(parts[2])
            elif flat and parts[0] == "super" and len(parts) > 1:
                names.add(parts[1])
            elif parts[:2] == ["super", "super"] and len(parts) > 2:
                names.add(parts[2])
        for name in sorted(names - {subject} - SHARED):
            if os.path.exists(os.path.join(ROUTES, name + ".rs")) or os.path.isdir(os.path.join(ROUTES, name)):
                found.append(f"{rel(path)} -> routes/{name}")
    return found


DISPATCH = re.compile(r'#\[(get|post|put|patch|delete)\("([^"]*\{(action|record|kind|file)\}[^"]*)"')


def dispatching_routes():
    found = []
    for path in rust_files(ROUTES):
        for line in lines(path):
            m = DISPATCH.search(line)
            if m and not m.group(2).startswith("/static/"):
                found.append(f"{m.group(1).upper()} {m.group(2)}")
    return found


def domain_module(path):
    inside = os.path.relpath(path, DOMAIN).split(os.sep)
    if len(inside) == 1:
        return os.path.splitext(inside[0])[0]
    return inside[0]


def use_paths(text):
    """Every path a file's `use` items name, braces expanded (`a::{b, c::d}` → a::b, a::c::d),
    and every `crate::`/`super::` path written in the code."""
    def expand(tree):
        tree = tree.strip()
        if "{" not in tree:
            return [tree] if tree else []
        head, body = tree.split("{", 1)
        body = body.rsplit("}", 1)[0]
        parts, depth, current = [], 0, ""
        for ch in body:
            if ch == "," and depth == 0:
                parts.append(current)
                current = ""
                continue
            depth += ch == "{"
            depth -= ch == "}"
            current += ch
        parts.append(current)
        return [head + q for part in parts for q in expand(part)]

    paths = []
    for item in re.findall(r"\buse\s+([^;]+);", text):
        paths += expand(re.sub(r"\s+", "", item))
    paths += re.findall(r"(?:crate|super)(?:::\w+)+", text)
    return paths


def domain_circles():
    graph = {}
    for path in rust_files(DOMAIN):
        module = domain_module(path)
        if module == "mod":
            continue
        inside = os.path.relpath(path, DOMAIN).split(os.sep)
        # `super::` of a file names its folder's siblings; of a folder's mod.rs, the domain's
        depth = len(inside) - (inside[-1] == "mod.rs")
        used = set()
        # a file's unit tests (after `#[cfg(test)]`) name their own module's items
        text = "\n".join(lines(path)).split("#[cfg(test)]")[0]
        for use in use_paths(text):
            parts = use.split("::")
            if parts[:2] == ["crate", "domain"] and len(parts) > 2:
                used.add(parts[2])
            elif parts[0] == "super" and depth == 1 and len(parts) > 1:
                used.add(parts[1])
            elif parts[:2] == ["super", "super"] and depth == 2 and len(parts) > 2:
                used.add(parts[2])
        graph.setdefault(module, set()).update(u for u in used if u != module)
    modules = {domain_module(p) for p in rust_files(DOMAIN)} - {"mod"}
    graph = {m: {u for u in graph.get(m, ()) if u in modules} for m in modules}
    # Tarjan's strongly connected components
    index, low, stack, on, circles, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                circles.append(sorted(component))

    sys.setrecursionlimit(10000)
    for v in sorted(graph):
        if v not in index:
            visit(v)
    return circles


def main():
    report = [
        ("files over 400 lines", [f"{n} {p}" for n, p in long_files()]),
        ("route handlers over 40 lines", [f"{n} {p}" for n, p in long_handlers()]),
        ("route files with database access", route_files_with_database()),
        ("imports between route files of different subjects", sibling_imports()),
        ("routes dispatching on a path segment", dispatching_routes()),
        ("import circles among domain modules", [" ↔ ".join(c) for c in domain_circles()]),
    ]
    for title, items in report:
        print(f"{title}: {len(items)}")
        for item in items:
            print(f"  {item}")
    if CHECK:
        too_long = [
            (n, p) for n, p in long_files()
            if not p.startswith("tests/tests/") or n > 600
        ]
        broken = bool(too_long) or any(items for _, items in report[1:])
        if broken:
            print("the house breaks its rules (see above)")
            sys.exit(1)


if __name__ == "__main__":
    main()
