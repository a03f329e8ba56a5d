"""Write the local fallback inventories that the docsite's intersphinx mapping names.

antsibull-docs' conf.py maps each external docsite to (its URL, a local ``../NAME.inv`` file);
Sphinx reads the local file only when the URL cannot be fetched. On a machine without access
to those sites (CI here), the module pages' links to the Ansible docs would then be undefined
labels, which fail a ``-W`` build. These files hold exactly the labels the generated pages link
to, with their docs.ansible.com addresses, so the built links are the ones a networked build
makes; the other sites get empty inventories.

Usage: python docsite_offline_inventories.py SITE_DIR (the folder holding conf.py)
"""

import os
import sys
import zlib

ANSIBLE_DEVEL = 'https://docs.ansible.com/projects/ansible/devel/'
# label -> (page, anchor, title) on the Ansible docsite, as the generated module pages use them.
ANSIBLE_LABELS = {
    'common_return_values': ('reference_appendices/common_return_values.html', 'common-return-values',
                             'Return Values'),
    'ansible_configuration_settings': ('reference_appendices/config.html', 'ansible-configuration-settings',
                                       'Ansible Configuration Settings'),
}
INVENTORIES = {'ansible_devel': ('Ansible', ANSIBLE_LABELS), 'python2': ('Python', {}),
               'python3': ('Python', {}), 'jinja2': ('Jinja', {})}


def inventory(project, labels):
    header = ('# Sphinx inventory version 2\n# Project: %s\n# Version: \n'
              '# The remainder of this file is compressed using zlib.\n' % project).encode('utf-8')
    lines = ''.join('%s std:label -1 %s#%s %s\n' % (name, page, anchor, title)
                    for name, (page, anchor, title) in sorted(labels.items()))
    return header + zlib.compress(lines.encode('utf-8'))


def main(site):
    for name, (project, labels) in INVENTORIES.items():
        path = os.path.join(site, name + '.inv')
        if not os.path.exists(path):
            with open(path, 'wb') as handle:
                handle.write(inventory(project, labels))


if __name__ == '__main__':
    main(sys.argv[1])
