#!/usr/bin/env bash
# Share images (generator/cardimage.py): Pillow's wheels bundle libraqm, which loads FriBiDi
# from the system at run time; without it Persian and Arabic text cannot be laid out and a
# build with a domain fails with cards-need-raqm. Debian's libfribidi0 provides it.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -qq --no-install-recommends libfribidi0 >/dev/null
python3 -c "from PIL import features; assert features.check('raqm'), 'Pillow has no Raqm layout'; print('Pillow', features.version('pil'), 'raqm', features.version('raqm'), 'fribidi', features.version('fribidi'))"
