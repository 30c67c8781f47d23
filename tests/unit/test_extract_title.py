from clausewatch.extract.title import document_title


def test_first_upper_case_heading_naming_a_document():
    page = "Confidential\nMASTER SAAS SUBSCRIPTION AGREEMENT\nThis Agreement is made ..."
    assert document_title([page]) == "Master SaaS Subscription Agreement"


def test_amendment_heading_keeps_its_number():
    assert document_title(["AMENDMENT NO. 2 TO THE SUPPLY AGREEMENT\n..."]) == "Amendment No. 2 to the Supply Agreement"


def test_no_heading_no_title():
    assert document_title(["This letter confirms our understanding.\nRegards"]) is None
    assert document_title(["EXHIBIT 10.1\nPRIVILEGED"]) is None  # upper case but not a document kind
    assert document_title([]) is None


def test_a_roman_numeral_stays_upper_case_and_a_word_of_those_letters_does_not():
    assert document_title(["AMENDMENT NO. II TO THE SUPPLY AGREEMENT\n..."]) == "Amendment No. II to the Supply Agreement"
    assert document_title(["AMENDMENT NO. I TO SCHEDULE IV OF THE LEASE AGREEMENT\n..."]) == \
        "Amendment No. I to Schedule IV of the Lease Agreement"
    assert document_title(["VIVID MIX CIVIL WORKS AGREEMENT\n"]) == "Vivid Mix Civil Works Agreement"
