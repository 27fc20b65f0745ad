// The settings page's "Blocked people" sub-section: everyone the user blocked (GET
// /users/me/blocks, every page of it), each with "Unblock".
import { describeError } from "../../api/client";
import type { User } from "../../api/types";
import { t } from "../../i18n/i18n";
import { h, replaceChildren, uniqueId, whileBusy } from "../dom";
import { statusLine, subSection, type Context } from "./common";

interface Block {
  user: User;
  created_at: string;
}

export function blockedSection(context: Context): HTMLElement {
  const list = h("ul", { className: "blocked-list", "aria-label": t("settings.blocked.list") });
  const empty = h("p", { className: "hint", hidden: true }, t("settings.blocked.none"));
  const feedback = statusLine();
  const showEmpty = () => (empty.hidden = list.children.length > 0);

  const item = (block: Block) => {
    const nameId = uniqueId("blocked");
    const unblock = h("button", { type: "button", "aria-describedby": nameId }, t("settings.blocked.unblock"));
    const row = h(
      "li",
      { className: "blocked-person" },
      h("span", { id: nameId }, h("strong", {}, block.user.display_name), " ", h("span", { className: "hint" }, `@${block.user.username}`)),
      unblock,
    );
    unblock.addEventListener("click", () => {
      feedback.clear();
      void whileBusy(
        unblock,
        async () => {
          await context.deps.api.delete(`/users/${encodeURIComponent(block.user.id)}/block`);
          row.remove();
          showEmpty();
          feedback.say(t("settings.blocked.unblocked", { name: block.user.display_name }));
        },
        (error) => feedback.fail(describeError(error)),
      );
    });
    return row;
  };

  const load = async () => {
    try {
      const blocks: Block[] = [];
      let cursor: string | null = null;
      do {
        const reply: { blocks: Block[]; next_cursor: string | null } = await context.deps.api.get(
          "/users/me/blocks?limit=100" + (cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""),
        );
        blocks.push(...reply.blocks);
        cursor = reply.next_cursor;
      } while (cursor);
      replaceChildren(list, blocks.map(item));
      showEmpty();
    } catch (error) {
      list.textContent = "";
      feedback.fail(describeError(error));
    }
  };
  list.append(h("li", { className: "hint" }, t("common.loading")));
  void load();
  return subSection(t("settings.blocked.title"), list, empty, feedback.element);
}
