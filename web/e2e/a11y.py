"""The accessibility walk of issue 17: Chromium's own accessibility tree of the page as it is
(DevTools' Accessibility.getFullAXTree), and what a screen reader's user would trip over in it:
an interactive element without a name, an image without a text alternative, and ids used twice
(which break labels and aria-* references)."""

# Roles a person operates, as Chromium names them in the tree.
INTERACTIVE = {
    "button", "link", "textbox", "searchbox", "combobox", "checkbox", "radio", "menuitem",
    "menuitemcheckbox", "menuitemradio", "option", "tab", "slider", "spinbutton", "switch",
    "listbox", "PopUpButton", "ToggleButton", "TextField", "TextFieldWithComboBox",
}
IMAGES = {"image", "img", "graphics-document", "Canvas", "svg"}

DUPLICATE_IDS = """
const seen = new Map();
for (const element of document.querySelectorAll('[id]')) seen.set(element.id, (seen.get(element.id) || 0) + 1);
return [...seen].filter(([, count]) => count > 1).map(([id]) => id);
"""


def value(field):
    return (field or {}).get("value")


def findings(browser):
    """Every problem on the page now, as readable lines (empty when there is none)."""
    driver = browser.driver
    driver.execute_cdp_cmd("Accessibility.enable", {})
    try:
        nodes = driver.execute_cdp_cmd("Accessibility.getFullAXTree", {})["nodes"]
    finally:
        driver.execute_cdp_cmd("Accessibility.disable", {})
    problems = []
    for node in nodes:
        if node.get("ignored"):
            continue
        role = value(node.get("role")) or ""
        name = (value(node.get("name")) or "").strip()
        properties = {entry["name"]: value(entry.get("value")) for entry in node.get("properties", [])}
        if properties.get("hidden") or properties.get("disabled") and role == "option":
            continue
        where = f"{role} (backend node {node.get('backendDOMNodeId')})"
        if role in INTERACTIVE and not name:
            problems.append(f"{where}: an interactive element without a name")
        elif role in IMAGES and not name:
            problems.append(f"{where}: an image without a text alternative")
    problems += [f"id {duplicate!r} is used more than once" for duplicate in driver.execute_script(DUPLICATE_IDS)]
    return problems


def describe(browser, problems):
    """The problems with the HTML of each offending node, for the failure message."""
    lines = []
    for problem in problems:
        lines.append(problem)
        if "backend node" in problem:
            node_id = int(problem.split("backend node ")[1].split(")")[0])
            try:
                html = browser.driver.execute_cdp_cmd("DOM.getOuterHTML", {"backendNodeId": node_id})["outerHTML"]
                lines.append("    " + html[:300])
            except Exception:  # noqa: BLE001 - the node may be gone already
                pass
    return "\n".join(lines)
