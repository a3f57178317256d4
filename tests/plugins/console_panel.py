"""A test plugin adding two console panels, loaded with `-p console_panel`: one listing the stack's SQS
queues, one that fails (the page must still show)."""

from __future__ import annotations

from stackwright import ConsolePage, ConsolePanel, PanelContent, PanelLink, hookimpl


class Queues(ConsolePanel):
    name = "queues"
    title = "Queues"
    order = 250

    def applies(self, page: ConsolePage) -> bool:
        return bool(page.resources_of_type("AWS::SQS::Queue"))

    def render(self, page: ConsolePage) -> PanelContent:
        sqs = page.ctx.clients.client("sqs")
        rows = []
        for queue in page.resources_of_type("AWS::SQS::Queue"):
            attributes = sqs.get_queue_attributes(
                QueueUrl=queue.physical_id, AttributeNames=["VisibilityTimeout"]
            )
            rows.append([queue.logical_id, attributes["Attributes"]["VisibilityTimeout"]])
        rows.append([PanelLink("a script link", "javascript:alert(1)"), "shown as text"])
        rows.append([PanelLink("another host", "//elsewhere.example/x"), "shown as text"])
        return PanelContent(columns=["queue", "visibility timeout"], rows=rows)


class Writes(ConsolePanel):
    """Tries to change something: the read-only clients refuse, and the panel says so."""

    name = "writes"
    title = "Writes"
    order = 260

    def render(self, page: ConsolePage) -> PanelContent:
        page.ctx.clients.client("sqs").create_queue(QueueName="made-by-a-console-panel")
        return PanelContent(text="created a queue")


class Broken(ConsolePanel):
    name = "broken"
    title = "Broken"
    order = 270

    def render(self, page: ConsolePage) -> PanelContent:
        raise RuntimeError("this panel is <b>broken</b>")


class Garbage(ConsolePanel):
    """Returns rows that are not lists of cells."""

    name = "garbage"
    title = "Garbage"
    order = 280

    def render(self, page: ConsolePage) -> PanelContent:
        return PanelContent(columns=["a", "b"], rows=[1, 2])  # type: ignore[list-item]


@hookimpl
def stackwright_console_panels() -> list[type[ConsolePanel]]:
    return [Queues, Writes, Broken, Garbage]
