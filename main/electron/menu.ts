import path from 'node:path';
import { Menu, type MenuItemConstructorOptions } from 'electron';

interface MenuActions {
  recent: string[];
  open: () => void | Promise<void>;
  openRecent: (templatePath: string) => void;
  clearRecent: () => void;
}

/** Builds the application menu: the platform's usual roles, plus opening workspaces. */
export function buildMenu(actions: MenuActions): Menu {
  const isMac = process.platform === 'darwin';
  const recent: MenuItemConstructorOptions[] =
    actions.recent.length === 0
      ? [{ label: 'No recent workspaces', enabled: false }]
      : [
          ...actions.recent.map((file) => ({
            label: `${path.basename(path.dirname(file))} — ${file}`,
            click: () => actions.openRecent(file),
          })),
          { type: 'separator' as const },
          { label: 'Clear Recent', click: actions.clearRecent },
        ];
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [
        { label: 'Open Workspace…', accelerator: 'CmdOrCtrl+O', click: () => void actions.open() },
        { label: 'Open Recent', submenu: recent },
        { type: 'separator' },
        isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    { role: 'viewMenu' },
    { role: 'windowMenu' },
  ];
  return Menu.buildFromTemplate(template);
}
