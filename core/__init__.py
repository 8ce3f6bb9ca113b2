"""The ground floor: what every app uses and that knows no domain; nothing here imports an app of the project."""
