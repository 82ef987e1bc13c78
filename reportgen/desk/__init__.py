"""The editor's desk: commands that help an editor write and check a config rather than build it
(``reportgen schema``, ``init``, ``import``, ``preview``). They sit above ``publish``: they may use
every stage, and nothing below imports them."""
