// Placeholder page: lists the session's projects until the real UI lands.
const list = document.getElementById("projects");

async function showProjects() {
  const response = await fetch("/api/projects", { credentials: "same-origin" });
  if (!response.ok) {
    list.textContent = `could not list projects (HTTP ${response.status})`;
    return;
  }
  const projects = await response.json();
  list.replaceChildren();
  if (projects.length === 0) {
    const item = document.createElement("li");
    item.textContent = "no projects yet";
    list.append(item);
  }
  for (const project of projects) {
    const item = document.createElement("li");
    item.textContent = `${project.name} (${project.id}): ${project.files.join(", ")}`;
    list.append(item);
  }
}

showProjects().catch((error) => {
  list.textContent = `could not list projects: ${error}`;
});
